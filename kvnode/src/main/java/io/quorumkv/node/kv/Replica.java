package io.quorumkv.node.kv;

import io.quorumkv.common.time.ClockDriftException;
import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.ReplicaCheck;
import io.quorumkv.common.wire.ReplicaCommit;
import io.quorumkv.common.wire.ReplicaRead;
import io.quorumkv.common.wire.ReplicaReadReply;
import io.quorumkv.common.wire.ReplicaWrite;
import io.quorumkv.common.wire.ReplicaWriteReply;
import io.quorumkv.node.Counters;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.LastWriterWins;
import io.quorumkv.node.storage.Storage;

/**
 * The replica role: applies writes and answers reads for the coordinators, each client request
 * once (see {@link RecentRequests}), logging one outcome event per request. A put is applied at
 * once ({@link ReplicaWrite}); a conditional write (create, update, delete) is only checked at
 * first ({@link ReplicaCheck}: decide and log, store nothing) and stored when its coordinator
 * commits it ({@link ReplicaCommit}, silent), so a write the quorum refused is stored nowhere.
 * Read repair arrives as an unacknowledged {@link Handoff} and is merged by last writer wins,
 * silently.
 *
 * <p>A replica does not check that it owns the key: during membership changes a coordinator's
 * ring may differ from ours, and refusing would turn a short disagreement into failed requests.
 * Stabilization later moves what is misplaced.
 */
final class Replica {

  private final Address self;
  private final Storage storage;
  private final HybridClock clock;
  private final Outbox outbox;
  private final Counters counters;
  private final Counters.Counter succeeded;
  private final Counters.Counter failed;
  private final EventSink events;
  private final RecentRequests<Message> answered;
  /** Conditional writes committed here, by client request: each is stored once. */
  private final RecentRequests<Boolean> committed;

  Replica(Address self, Storage storage, HybridClock clock, Outbox outbox, Counters counters,
      EventSink events, int dedupeCapacity) {
    this.self = self;
    this.storage = storage;
    this.clock = clock;
    this.outbox = outbox;
    this.counters = counters;
    this.succeeded = counters.counter("kv.replica.success");
    this.failed = counters.counter("kv.replica.fail");
    this.events = events;
    this.answered = new RecentRequests<>(dedupeCapacity,
        m -> m instanceof ReplicaReadReply r ? 2 * r.record().value().length() : 0);
    this.committed = new RecentRequests<>(dedupeCapacity, b -> 0);
  }

  void onWrite(Address from, long requestId, ReplicaWrite write, long nowMillis) {
    outbox.send(from, Envelope.of(self, requestId, answerWrite(write, nowMillis)));
  }

  void onRead(Address from, long requestId, ReplicaRead read) {
    outbox.send(from, Envelope.of(self, requestId, answerRead(read)));
  }

  void onCheck(Address from, long requestId, ReplicaCheck check, long nowMillis) {
    outbox.send(from, Envelope.of(self, requestId, answerCheck(check, nowMillis)));
  }

  void onCommit(Address from, long requestId, ReplicaCommit commit, long nowMillis) {
    outbox.send(from, Envelope.of(self, requestId, answerCommit(commit, nowMillis)));
  }

  /** The answer to a request of this node's own coordinator (it needs no datagram). */
  Message answer(Message request, long nowMillis) {
    if (request instanceof ReplicaWrite w) {
      return answerWrite(w, nowMillis);
    } else if (request instanceof ReplicaCheck c) {
      return answerCheck(c, nowMillis);
    } else if (request instanceof ReplicaCommit c) {
      return answerCommit(c, nowMillis);
    }
    return answerRead((ReplicaRead) request);
  }

  /** Applies {@code write} once and returns the answer (the first one, for a repeat). */
  ReplicaWriteReply answerWrite(ReplicaWrite write, long nowMillis) {
    ReplicaWriteReply repeat = repeatOf(write.client(), write.clientRequestId());
    if (repeat != null) {
      return repeat;
    }
    return decide(write.op(), write.key(), write.value(), write.version(), write.client(),
        write.clientRequestId(), true, false, nowMillis);
  }

  /**
   * Phase one of a conditional write: decides whether its condition holds here, once, and logs
   * that outcome, but stores nothing. A check that arrives after its own commit (the commit
   * overtook it) is accepted: the quorum already accepted it, and judging it against its own
   * commit would refuse a delete of the key it just deleted.
   */
  ReplicaWriteReply answerCheck(ReplicaCheck check, long nowMillis) {
    ReplicaWriteReply repeat = repeatOf(check.client(), check.clientRequestId());
    if (repeat != null) {
      return repeat;
    }
    boolean overtaken = committed.get(check.client(), check.clientRequestId()) != null;
    return decide(check.op(), check.key(), check.value(), check.version(), check.client(),
        check.clientRequestId(), false, overtaken, nowMillis);
  }

  /** Phase two of a conditional write: stores its record once (last writer wins), silently. */
  ReplicaWriteReply answerCommit(ReplicaCommit commit, long nowMillis) {
    if (committed.get(commit.client(), commit.clientRequestId()) != null) {
      counters.increment("kv.replica.repeats");
      return ReplicaWriteReply.of(KvStatus.OK);
    }
    if (!observe(commit.record().version().timestamp(), nowMillis)) {
      return ReplicaWriteReply.of(KvStatus.INVALID);
    }
    LastWriterWins.merge(storage, commit.record());
    committed.remember(commit.client(), commit.clientRequestId(), Boolean.TRUE);
    return ReplicaWriteReply.of(KvStatus.OK);
  }

  /** The first answer to this write request, counted as a repeat; null if it is new. */
  private ReplicaWriteReply repeatOf(Address client, long requestId) {
    if (answered.get(client, requestId) instanceof ReplicaWriteReply reply) {
      counters.increment("kv.replica.repeats");
      return reply;
    }
    return null;
  }

  /**
   * Judges a write by {@link ReplicaRules} (stores the result when {@code store}), remembers and
   * logs the one outcome; {@code accepted} forces ok (a check its commit overtook).
   */
  private ReplicaWriteReply decide(KvOp op, String key, String value, Version version,
      Address client, long requestId, boolean store, boolean accepted, long nowMillis) {
    KvStatus status;
    if (!observe(version.timestamp(), nowMillis)) {
      status = KvStatus.INVALID;
    } else {
      ReplicaRules.Decision d = ReplicaRules.apply(op, storage.get(key), value, version);
      if (store && d.toStore() != null) {
        storage.put(d.toStore());
      }
      status = accepted ? KvStatus.OK : d.status();
    }
    ReplicaWriteReply reply = ReplicaWriteReply.of(status);
    answered.remember(client, requestId, reply);
    log(op, status == KvStatus.OK, client, requestId, key, op.carriesValue() ? value : "");
    return reply;
  }

  /** Reads once and returns the answer (the first one, for a repeat). */
  ReplicaReadReply answerRead(ReplicaRead read) {
    Message answer = answered.get(read.client(), read.clientRequestId());
    if (answer instanceof ReplicaReadReply reply) {
      counters.increment("kv.replica.repeats");
      return reply;
    }
    KeyRecord held = storage.get(read.key());
    ReplicaReadReply reply = new ReplicaReadReply(held);
    answered.remember(read.client(), read.clientRequestId(), reply);
    log(KvOp.READ, held.isLive(), read.client(), read.clientRequestId(), read.key(),
        held.isLive() ? held.value() : "");
    return reply;
  }

  /** Read repair: keep whichever record is newer, log nothing. */
  void onRepair(Handoff repair, long nowMillis) {
    for (KeyRecord r : repair.records()) {
      if (observe(r.version().timestamp(), nowMillis) && LastWriterWins.merge(storage, r)) {
        counters.increment("kv.repairs.applied");
      }
    }
  }

  /** Advances our clock past a remote version's timestamp; false (and counted) if implausibly ahead. */
  private boolean observe(long timestamp, long nowMillis) {
    try {
      clock.observe(timestamp, nowMillis);
      return true;
    } catch (ClockDriftException e) {
      counters.increment("kv.clock.drift-refused");
      return false;
    }
  }

  private void log(KvOp op, boolean success, Address client, long requestId, String key,
      String value) {
    (success ? succeeded : failed).increment();
    events.accept(new NodeEvent.KvOutcome(self, NodeEvent.Role.REPLICA, op, success, client,
        requestId, key, value));
  }
}
