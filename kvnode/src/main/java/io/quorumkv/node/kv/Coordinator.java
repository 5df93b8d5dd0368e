package io.quorumkv.node.kv;

import io.quorumkv.common.time.ClockDriftException;
import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvLimits;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.ReplicaCheck;
import io.quorumkv.common.wire.ReplicaCommit;
import io.quorumkv.common.wire.ReplicaReadReply;
import io.quorumkv.common.wire.ReplicaWriteReply;
import io.quorumkv.node.Counters;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Function;

/**
 * The coordinator role: takes a client's request, sends it to the key's N replicas (applying its
 * own share directly), and answers the client exactly once: when enough replicas agreed, when
 * refusals make agreement impossible, or at the deadline. Until then it resends the request to
 * replicas that have not answered. A read answers with the newest version among the replies and
 * repairs the replies that were older. A put is applied by the replicas at once; a conditional
 * write (create, update, delete) is first checked by them ({@link ReplicaCheck}) and committed
 * ({@link ReplicaCommit}) only once enough accepted, so that a refused write is stored nowhere.
 * Every replica is sent a write, even once the answer is known (consistency ONE). A read asks
 * only as many replicas as its consistency needs, its own copy first, and the others only if
 * those are late ({@link KvConfig#readSpeculateMillis()}).
 *
 * <p>States of a request: pending (in {@link #pending}, with timers in {@link #timers}) until one
 * of the three outcomes; then its answer is remembered ({@link ClientAnswers}), so a client that
 * retries the same request id gets the same answer without a second execution. An acknowledged
 * write that some replica has not acknowledged yet waits among the {@link Stragglers} until its
 * deadline, still resent to the silent replicas; if one is still silent then, the write becomes
 * a hint, handed to the key's new owners when the ring changes. What goes to the replicas is
 * sent by a {@link ReplicaFanout}.
 */
final class Coordinator {

  private final Address self;
  private final KvConfig config;
  private final Function<String, List<Address>> replicasOf;
  private final HybridClock clock;
  private final Counters counters;
  private final Predicate<Message> fitsInDatagram;
  private final ClientAnswers answers;
  private final ReplicaFanout fanout;
  /**
   * Pending requests by both their phase ids: at most twice {@link KvConfig#maxPendingRequests}
   * entries (a request is admitted below that many, and its commit adds a second id). Primitive
   * keys, as every reply and timer looks an id up here.
   */
  private final LongKeyMap<PendingRequest> pending = new LongKeyMap<>();
  private final Stragglers stragglers;
  private final HintedHandoff hinted;
  /**
   * Each request's deadline and retransmits, by its first id; timers of finished requests are
   * skipped when they come up. Bounded by the request rate: a request has at most three at a
   * time (its deadline, its next retransmit, and the one {@link #startCommit} left behind), all
   * due by its deadline plus one retransmit interval, so the queue holds at most three timers
   * per request begun within the longest timeout (at most {@link KvLimits#MAX_TIMEOUT_MILLIS})
   * and one interval.
   */
  private final TimerQueue timers;
  private long nextTxId = 1;

  /**
   * @param replicasOf the key's replicas by the current ring, primary first
   * @param fitsInDatagram whether a message encodes within the datagram limit
   * @param hinted where writes some replica never acknowledged go
   */
  Coordinator(Address self, KvConfig config, Function<String, List<Address>> replicasOf,
      HybridClock clock, Replica localReplica, Outbox outbox, Counters counters,
      EventSink events, Predicate<Message> fitsInDatagram, HintedHandoff hinted) {
    this.self = self;
    this.config = config;
    this.replicasOf = replicasOf;
    this.clock = clock;
    this.counters = counters;
    this.fitsInDatagram = fitsInDatagram;
    this.answers = new ClientAnswers(self, config.dedupeCapacity(), outbox, counters, events);
    this.fanout = new ReplicaFanout(self, localReplica, outbox, counters);
    this.hinted = hinted;
    this.stragglers = new Stragglers(hinted);
    this.timers = new TimerQueue(config.requestTimeoutMillis(),
        config.retransmitIntervalMillis(), config.readSpeculateMillis());
  }

  /** A client request arrived from {@code client} under its id {@code requestId}. */
  void onRequest(Address client, long requestId, KvRequest request, long nowMillis) {
    if (answers.isRepeat(client, requestId, pending::containsKey)) {
      return;
    }
    String problem = RequestRules.problemWith(request);
    if (problem != null) {
      refuse(client, requestId, request, KvStatus.INVALID, problem);
      return;
    }
    if (pending.size() >= config.maxPendingRequests()) {
      refuse(client, requestId, request, KvStatus.OVERLOADED,
          "coordinator " + self + " has " + pending.size() + " requests in flight");
      return;
    }
    List<Address> replicas = replicasOf.apply(request.key());
    if (!replicas.contains(self)) {
      // Clients that route by key (kvclient bench --route key) keep this at 0: a coordinator
      // that holds a copy spares one remote round trip.
      counters.increment("kv.coordinator.not-a-replica");
    }
    int quorum = request.op() == KvOp.READ ? config.readQuorum() : config.writeQuorum();
    int required = request.consistency().required(config.replicas(), quorum);
    if (replicas.size() < required) {
      refuse(client, requestId, request, KvStatus.UNAVAILABLE,
          "only " + replicas.size() + " replicas exist, " + required + " required");
      return;
    }
    Version version;
    try {
      version = versionOf(client, request, nowMillis);
    } catch (ClockDriftException e) {
      counters.increment("kv.clock.drift-refused");
      refuse(client, requestId, request, KvStatus.INVALID, "the client's clock is ahead of "
          + self + "'s by more than " + config.maxClockDriftMillis() + " ms");
      return;
    }
    long timeout = request.timeoutMillis() == 0 ? config.requestTimeoutMillis()
        : request.timeoutMillis();
    boolean read = request.op() == KvOp.READ;
    long firstRetransmit = read ? config.readSpeculateMillis() : config.retransmitIntervalMillis();
    PendingRequest p = new PendingRequest(nextTxId++, client, requestId, request, version,
        replicas, required, timeout, nowMillis, firstRetransmit);
    Message toReplicas = p.toReplicas();
    if (RequestRules.mayNotFit(request) && !fitsInDatagram.test(toReplicas)) {
      refuse(client, requestId, request, KvStatus.INVALID,
          "value too large once encoded (control characters count six bytes each)");
      return;
    }
    pending.put(p.txId, p);
    answers.started(client, requestId, p.txId);
    timers.add(nowMillis, timeout, p.txId);
    timers.add(nowMillis, firstRetransmit, p.txId);
    onLocalAnswer(p.txId, read ? fanout.toEnough(p, toReplicas, nowMillis)
        : fanout.toAll(p, p.txId, toReplicas, nowMillis), nowMillis);
  }

  /** Answers a request that was not started with {@code status}, saying why. */
  private void refuse(Address client, long requestId, KvRequest request, KvStatus status,
      String reason) {
    answers.finish(client, requestId, request, new KvReply(status, "", Version.ZERO, reason));
  }

  /**
   * A write's version: the client's timestamp with the client's address when it stamped the
   * write (the same whichever coordinator handles it or a retry of it), else ours.
   */
  private Version versionOf(Address client, KvRequest request, long nowMillis)
      throws ClockDriftException {
    if (request.op() == KvOp.READ) {
      return Version.ZERO;
    }
    if (request.timestamp() != 0) {
      clock.observe(request.timestamp(), nowMillis);
      return new Version(request.timestamp(), client);
    }
    return new Version(clock.now(nowMillis), self);
  }

  /** A replica answered request {@code txId}. */
  void onReply(Address replica, long txId, Message answer, long nowMillis) {
    if (stragglers.onReply(replica, txId, answer)) {
      return;
    }
    PendingRequest p = pending.get(txId);
    boolean currentPhase = p != null && txId == p.phaseId();
    if (!currentPhase || !p.replicas.contains(replica) || p.answered(replica)) {
      counters.increment("kv.coordinator.late-replies");
      return;
    }
    if (p.committing() && answer instanceof ReplicaWriteReply w) {
      p.commitAnswers.add(replica, w.status());
    } else if (answer instanceof ReplicaWriteReply w && p.request.op() != KvOp.READ) {
      p.writeAnswers.add(replica, w.status());
    } else if (answer instanceof ReplicaReadReply r && p.request.op() == KvOp.READ) {
      p.readAnswers.add(replica, r.record());
    } else {
      counters.increment("kv.coordinator.mismatched-replies");
      return;
    }
    decide(p, nowMillis);
  }

  /** The local replica's answer, if this node holds a copy (else null), taken as any reply. */
  private void onLocalAnswer(long txId, Message answer, long nowMillis) {
    if (answer != null) {
      onReply(self, txId, answer, nowMillis);
    }
  }

  void onTick(long nowMillis) {
    while (!timers.isEmpty() && timers.nextDue() <= nowMillis) {
      long txId = timers.poll();
      PendingRequest p = pending.get(txId);
      boolean answered = p == null;
      p = answered ? stragglers.get(txId) : p;
      if (p == null) {
        continue;
      }
      if (nowMillis >= p.deadlineMillis && answered) {
        // A replica still silent: keep a hint, for the owners as the ring names them now.
        stragglers.expire(p, replicasOf.apply(p.request.key()), nowMillis);
      } else if (nowMillis >= p.deadlineMillis) {
        complete(p, new KvReply(KvStatus.UNAVAILABLE, "", Version.ZERO, "quorum not reached: "
            + p.answers() + " of " + p.required + " replicas answered within " + p.timeoutMillis
            + " ms"));
      } else if (nowMillis >= p.nextRetransmitMillis) {
        if (p.request.op() == KvOp.READ && !p.speculated) {
          // The replicas asked first are late: ask every replica that has not answered.
          p.speculated = true;
          counters.increment("kv.coordinator.read-speculations");
        }
        fanout.resend(p);
        p.nextRetransmitMillis = nowMillis + config.retransmitIntervalMillis();
        if (p.nextRetransmitMillis < p.deadlineMillis) {
          timers.add(nowMillis, config.retransmitIntervalMillis(), p.txId);
        }
      }
    }
  }

  long nextWakeup() {
    return timers.nextDue();
  }

  private void decide(PendingRequest p, long nowMillis) {
    if (p.request.op() == KvOp.READ) {
      decideRead(p, nowMillis);
      return;
    }
    boolean checked = !p.committing() && p.request.op() != KvOp.PUT;
    QuorumTally.Tally t = QuorumTally.tally(p.replicas.size(), p.required, p.writePhase());
    if (t.verdict() == QuorumTally.Verdict.SUCCEED && checked) {
      startCommit(p, nowMillis);
    } else if (t.verdict() == QuorumTally.Verdict.SUCCEED) {
      complete(p, new KvReply(KvStatus.OK, "", p.version, ""));
    } else if (t.verdict() == QuorumTally.Verdict.FAIL) {
      complete(p, new KvReply(t.refusal(), "", Version.ZERO, RequestRules.describe(t.refusal(),
          p.request.key()) + " at " + t.refusals() + " of " + p.replicas.size() + " replicas"));
    }
  }

  /** Enough replicas accepted the checks of a conditional write: commit it at every replica. */
  private void startCommit(PendingRequest p, long nowMillis) {
    p.commitTxId = nextTxId++;
    pending.put(p.commitTxId, p);
    p.nextRetransmitMillis = nowMillis + config.retransmitIntervalMillis();
    timers.add(nowMillis, config.retransmitIntervalMillis(), p.txId);
    onLocalAnswer(p.commitTxId, fanout.toAll(p, p.commitTxId, p.commit(), nowMillis),
        nowMillis);
  }

  private void decideRead(PendingRequest p, long nowMillis) {
    if (p.readAnswers.size() < p.required) {
      return;
    }
    KeyRecord newest = p.newestRead();
    fanout.repairStale(p, newest, nowMillis);
    if (newest.isLive()) {
      complete(p, new KvReply(KvStatus.OK, newest.value(), newest.version(), ""));
    } else {
      // The tombstone's version (ZERO for a key never written), so a client can tell which
      // delete it saw; the history checker relies on it.
      complete(p, new KvReply(KvStatus.NOT_FOUND, "", newest.version(),
          RequestRules.describe(KvStatus.NOT_FOUND, p.request.key())));
    }
  }

  private void complete(PendingRequest p, KvReply reply) {
    pending.remove(p.txId);
    pending.remove(p.commitTxId);
    stragglers.answered(p, reply.status());
    answers.finish(p.client, p.clientRequestId, p.request, reply);
  }

  /** The ring changed: hinted writes go to the owners it now names. */
  void onViewChange(long nowMillis) {
    hinted.ownersChanged(replicasOf, nowMillis);
  }

  /** See {@link ClientAnswers#refuseWhileJoining}. */
  void refuseWhileJoining(Address client, long requestId) {
    answers.refuseWhileJoining(client, requestId);
  }
}
