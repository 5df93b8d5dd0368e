package io.quorumkv.node.kv;

import io.quorumkv.common.time.ClockDriftException;
import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Message;
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
 * once (see {@link RecentRequests}), logging one outcome event per request. Read repair arrives
 * as an unacknowledged {@link Handoff} and is merged by last writer wins, silently.
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
  private final EventSink events;
  private final RecentRequests<Message> answered;

  Replica(Address self, Storage storage, HybridClock clock, Outbox outbox, Counters counters,
      EventSink events, int dedupeCapacity) {
    this.self = self;
    this.storage = storage;
    this.clock = clock;
    this.outbox = outbox;
    this.counters = counters;
    this.events = events;
    this.answered = new RecentRequests<>(dedupeCapacity,
        m -> m instanceof ReplicaReadReply r ? 2 * r.record().value().length() : 0);
  }

  void onWrite(Address from, long requestId, ReplicaWrite write, long nowMillis) {
    outbox.send(from, Envelope.of(self, requestId, answerWrite(write, nowMillis)));
  }

  void onRead(Address from, long requestId, ReplicaRead read) {
    outbox.send(from, Envelope.of(self, requestId, answerRead(read)));
  }

  /** Applies {@code write} once and returns the answer (the first one, for a repeat). */
  ReplicaWriteReply answerWrite(ReplicaWrite write, long nowMillis) {
    Message answer = answered.get(write.client(), write.clientRequestId());
    if (answer instanceof ReplicaWriteReply reply) {
      counters.increment("kv.replica.repeats");
      return reply;
    }
    ReplicaWriteReply reply = new ReplicaWriteReply(apply(write, nowMillis));
    answered.remember(write.client(), write.clientRequestId(), reply);
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
      if (observe(r, nowMillis) && LastWriterWins.merge(storage, r)) {
        counters.increment("kv.repairs.applied");
      }
    }
  }

  private KvStatus apply(ReplicaWrite write, long nowMillis) {
    KvStatus status;
    KeyRecord held = storage.get(write.key());
    if (!observe(new KeyRecord(write.key(), "", true, write.version()), nowMillis)) {
      status = KvStatus.INVALID;
    } else {
      ReplicaRules.Decision d = ReplicaRules.apply(write.op(), held, write.value(),
          write.version());
      if (d.toStore() != null) {
        storage.put(d.toStore());
      }
      status = d.status();
    }
    boolean ok = status == KvStatus.OK;
    log(write.op(), ok, write.client(), write.clientRequestId(), write.key(),
        write.op().carriesValue() ? write.value() : "");
    return status;
  }

  /** Advances our clock past a remote version; false (and counted) if it is implausibly ahead. */
  private boolean observe(KeyRecord r, long nowMillis) {
    try {
      clock.observe(r.version().timestamp(), nowMillis);
      return true;
    } catch (ClockDriftException e) {
      counters.increment("kv.clock.drift-refused");
      return false;
    }
  }

  private void log(KvOp op, boolean success, Address client, long requestId, String key,
      String value) {
    counters.increment(success ? "kv.replica.success" : "kv.replica.fail");
    events.accept(new NodeEvent.KvOutcome(self, NodeEvent.Role.REPLICA, op, success, client,
        requestId, key, value));
  }
}
