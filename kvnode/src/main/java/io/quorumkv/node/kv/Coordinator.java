package io.quorumkv.node.kv;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvLimits;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.ReplicaRead;
import io.quorumkv.common.wire.ReplicaReadReply;
import io.quorumkv.common.wire.ReplicaWrite;
import io.quorumkv.common.wire.ReplicaWriteReply;
import io.quorumkv.node.Counters;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.net.Outbox;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Function;

/**
 * The coordinator role: takes a client's request, sends it to the key's N replicas (applying its
 * own share directly), and answers the client exactly once: when enough replicas agreed, when
 * refusals make agreement impossible, or at the deadline. Until then it resends the request to
 * replicas that have not answered. A read answers with the newest version among the replies and
 * repairs the replies that were older.
 *
 * <p>States of a request: pending (in {@link #pending}, with timers in {@link #timers}) until one
 * of the three outcomes; then its answer is remembered in {@link #answered}, so a client that
 * retries the same request id gets the same answer without a second execution.
 */
final class Coordinator {

  private final Address self;
  private final KvConfig config;
  private final Function<String, List<Address>> replicasOf;
  private final HybridClock clock;
  private final Replica localReplica;
  private final Outbox outbox;
  private final Counters counters;
  private final EventSink events;
  private final Predicate<Message> fitsInDatagram;
  private final TreeMap<Long, PendingRequest> pending = new TreeMap<>();
  private final RecentRequests<KvReply> answered;
  private final RecentRequests<Long> inFlight;
  /** (due time, txId) pairs; entries of finished requests are skipped when they come up. */
  private final PriorityQueue<long[]> timers =
      new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
          : Long.compare(a[1], b[1]));
  private long nextTxId = 1;

  /**
   * @param replicasOf the key's replicas by the current ring, primary first
   * @param fitsInDatagram whether a message encodes within the datagram limit
   */
  Coordinator(Address self, KvConfig config, Function<String, List<Address>> replicasOf,
      HybridClock clock, Replica localReplica, Outbox outbox, Counters counters,
      EventSink events, Predicate<Message> fitsInDatagram) {
    this.self = self;
    this.config = config;
    this.replicasOf = replicasOf;
    this.clock = clock;
    this.localReplica = localReplica;
    this.outbox = outbox;
    this.counters = counters;
    this.events = events;
    this.fitsInDatagram = fitsInDatagram;
    this.answered = new RecentRequests<>(config.dedupeCapacity(),
        reply -> 2 * (reply.value().length() + reply.reason().length()));
    this.inFlight = new RecentRequests<>(config.dedupeCapacity(), txId -> 0);
  }

  /** A client request arrived from {@code client} under its id {@code requestId}. */
  void onRequest(Address client, long requestId, KvRequest request, long nowMillis) {
    KvReply previous = answered.get(client, requestId);
    if (previous != null) {
      counters.increment("kv.coordinator.repeats");
      reply(client, requestId, previous);
      return;
    }
    Long running = inFlight.get(client, requestId);
    if (running != null && pending.containsKey(running)) {
      counters.increment("kv.coordinator.repeats");
      return; // the answer will come when the request finishes
    }
    String problem = validate(request);
    if (problem != null) {
      finish(client, requestId, request, new KvReply(KvStatus.INVALID, "", Version.ZERO, problem));
      return;
    }
    if (pending.size() >= config.maxPendingRequests()) {
      finish(client, requestId, request, new KvReply(KvStatus.OVERLOADED, "", Version.ZERO,
          "coordinator " + self + " has " + pending.size() + " requests in flight"));
      return;
    }
    List<Address> replicas = replicasOf.apply(request.key());
    int quorum = request.op() == KvOp.READ ? config.readQuorum() : config.writeQuorum();
    int required = request.consistency().required(config.replicas(), quorum);
    if (replicas.size() < required) {
      finish(client, requestId, request, new KvReply(KvStatus.UNAVAILABLE, "", Version.ZERO,
          "only " + replicas.size() + " replicas exist, " + required + " required"));
      return;
    }
    Version version = request.op() == KvOp.READ ? Version.ZERO
        : new Version(clock.now(nowMillis), self);
    long timeout = request.timeoutMillis() == 0 ? config.requestTimeoutMillis()
        : request.timeoutMillis();
    PendingRequest p = new PendingRequest(nextTxId++, client, requestId, request, version,
        replicas, required, timeout, nowMillis, config.retransmitIntervalMillis());
    Message toReplicas = toReplicas(p);
    if (mayNotFit(request) && !fitsInDatagram.test(toReplicas)) {
      finish(client, requestId, request, new KvReply(KvStatus.INVALID, "", Version.ZERO,
          "value too large once encoded (control characters count six bytes each)"));
      return;
    }
    pending.put(p.txId, p);
    inFlight.remember(client, requestId, p.txId);
    timers.add(new long[] {p.deadlineMillis, p.txId});
    timers.add(new long[] {p.nextRetransmitMillis, p.txId});
    for (Address replica : replicas) {
      if (replica.equals(self)) {
        onReply(self, p.txId, answerLocally(toReplicas, nowMillis), nowMillis);
        if (!pending.containsKey(p.txId)) {
          return; // the local answer alone settled it (consistency ONE)
        }
      } else {
        outbox.send(replica, Envelope.of(self, p.txId, toReplicas));
      }
    }
  }

  /** A replica answered request {@code txId}. */
  void onReply(Address replica, long txId, Message answer, long nowMillis) {
    PendingRequest p = pending.get(txId);
    if (p == null || !p.replicas.contains(replica) || p.answered(replica)) {
      counters.increment("kv.coordinator.late-replies");
      return;
    }
    if (answer instanceof ReplicaWriteReply w && p.request.op() != KvOp.READ) {
      p.writeAnswers.put(replica, w.status());
    } else if (answer instanceof ReplicaReadReply r && p.request.op() == KvOp.READ) {
      p.readAnswers.put(replica, r.record());
    } else {
      counters.increment("kv.coordinator.mismatched-replies");
      return;
    }
    decide(p, nowMillis);
  }

  void onTick(long nowMillis) {
    while (!timers.isEmpty() && timers.peek()[0] <= nowMillis) {
      long txId = timers.poll()[1];
      PendingRequest p = pending.get(txId);
      if (p == null) {
        continue;
      }
      if (nowMillis >= p.deadlineMillis) {
        int answers = p.answers();
        complete(p, new KvReply(KvStatus.UNAVAILABLE, "", Version.ZERO, "quorum not reached: "
            + answers + " of " + p.required + " replicas answered within " + p.timeoutMillis
            + " ms"));
      } else if (nowMillis >= p.nextRetransmitMillis) {
        Message toReplicas = toReplicas(p);
        for (Address replica : p.replicas) {
          if (!replica.equals(self) && !p.answered(replica)) {
            outbox.send(replica, Envelope.of(self, p.txId, toReplicas));
            counters.increment("kv.coordinator.retransmits");
          }
        }
        p.nextRetransmitMillis = nowMillis + config.retransmitIntervalMillis();
        if (p.nextRetransmitMillis < p.deadlineMillis) {
          timers.add(new long[] {p.nextRetransmitMillis, p.txId});
        }
      }
    }
  }

  long nextWakeup() {
    return timers.isEmpty() ? Long.MAX_VALUE : timers.peek()[0];
  }

  int pendingCount() {
    return pending.size();
  }

  private void decide(PendingRequest p, long nowMillis) {
    if (p.request.op() == KvOp.READ) {
      decideRead(p, nowMillis);
      return;
    }
    int agreed = 0;
    int refused = 0;
    TreeMap<KvStatus, Integer> refusals = new TreeMap<>();
    for (KvStatus s : p.writeAnswers.values()) {
      if (s == KvStatus.OK) {
        agreed++;
      } else {
        refused++;
        refusals.merge(s, 1, Integer::sum);
      }
    }
    QuorumTally.Verdict verdict = QuorumTally.judge(p.replicas.size(), p.required, agreed, refused);
    if (verdict == QuorumTally.Verdict.SUCCEED) {
      complete(p, new KvReply(KvStatus.OK, "", p.version, ""));
    } else if (verdict == QuorumTally.Verdict.FAIL) {
      KvStatus most = refusals.entrySet().stream()
          .max((a, b) -> Integer.compare(a.getValue(), b.getValue())).orElseThrow().getKey();
      complete(p, new KvReply(most, "", Version.ZERO, describe(most, p.request.key())
          + " at " + refusals.get(most) + " of " + p.replicas.size() + " replicas"));
    }
  }

  private void decideRead(PendingRequest p, long nowMillis) {
    if (p.readAnswers.size() < p.required) {
      return;
    }
    KeyRecord newest = null;
    for (KeyRecord r : p.readAnswers.values()) {
      if (newest == null || r.version().compareTo(newest.version()) > 0) {
        newest = r;
      }
    }
    repairStale(p, newest, nowMillis);
    if (newest.isLive()) {
      complete(p, new KvReply(KvStatus.OK, newest.value(), newest.version(), ""));
    } else {
      complete(p, new KvReply(KvStatus.NOT_FOUND, "", Version.ZERO,
          describe(KvStatus.NOT_FOUND, p.request.key())));
    }
  }

  /** Sends the newest record to every answering replica that holds an older one. */
  private void repairStale(PendingRequest p, KeyRecord newest, long nowMillis) {
    if (newest.version().equals(Version.ZERO)) {
      return;
    }
    Handoff repair = new Handoff(List.of(newest), false);
    for (var e : p.readAnswers.entrySet()) {
      if (e.getValue().version().compareTo(newest.version()) < 0) {
        counters.increment("kv.read-repairs");
        if (e.getKey().equals(self)) {
          localReplica.onRepair(repair, nowMillis);
        } else {
          outbox.send(e.getKey(), Envelope.of(self, 0, repair));
        }
      }
    }
  }

  private void complete(PendingRequest p, KvReply reply) {
    pending.remove(p.txId);
    finish(p.client, p.clientRequestId, p.request, reply);
  }

  /** Answers the client, remembers the answer, and logs the coordinator's one outcome. */
  private void finish(Address client, long requestId, KvRequest request, KvReply reply) {
    answered.remember(client, requestId, reply);
    reply(client, requestId, reply);
    boolean ok = reply.status() == KvStatus.OK;
    counters.increment(ok ? "kv.coordinator.success" : "kv.coordinator.fail");
    String value = request.op() == KvOp.READ ? reply.value()
        : request.op().carriesValue() ? request.value() : "";
    events.accept(new NodeEvent.KvOutcome(self, NodeEvent.Role.COORDINATOR, request.op(), ok,
        client, requestId, request.key(), value));
  }

  private void reply(Address client, long requestId, KvReply reply) {
    outbox.send(client, Envelope.of(self, requestId, reply));
  }

  private Message toReplicas(PendingRequest p) {
    KvRequest r = p.request;
    return r.op() == KvOp.READ ? new ReplicaRead(r.key(), p.client, p.clientRequestId)
        : new ReplicaWrite(r.op(), r.key(), r.value(), p.version, p.client, p.clientRequestId);
  }

  private Message answerLocally(Message toReplicas, long nowMillis) {
    return toReplicas instanceof ReplicaWrite w ? localReplica.answerWrite(w, nowMillis)
        : localReplica.answerRead((ReplicaRead) toReplicas);
  }

  /**
   * False when the request is small enough to fit whatever its characters: JSON escapes one
   * character in at most six bytes. Spares the encoding check for nearly every request.
   */
  private static boolean mayNotFit(KvRequest request) {
    long worst = 6L * (request.key().length() + request.value().length()) + 1024;
    return worst > Limits.MAX_DATAGRAM_BYTES;
  }

  private static String validate(KvRequest request) {
    String problem = KvLimits.problemWith(request.key(), request.value());
    if (problem != null) {
      return problem;
    }
    if (!request.op().carriesValue() && !request.value().isEmpty()) {
      return request.op().wireName() + " takes no value";
    }
    if (request.timeoutMillis() > KvLimits.MAX_TIMEOUT_MILLIS) {
      return "timeout " + request.timeoutMillis() + " ms exceeds the maximum of "
          + KvLimits.MAX_TIMEOUT_MILLIS + " ms";
    }
    return null;
  }

  private static String describe(KvStatus status, String key) {
    switch (status) {
      case NOT_FOUND:
        return "key '" + key + "' not found";
      case EXISTS:
        return "key '" + key + "' already exists";
      default:
        return status.wireName();
    }
  }
}
