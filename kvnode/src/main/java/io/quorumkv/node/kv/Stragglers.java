package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.ReplicaWriteReply;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a coordinator still does for writes it has already acknowledged: it waits, until the
 * request's deadline, for the replicas that have not acknowledged yet (the coordinator keeps
 * resending to them), and turns a write that some replica still has not acknowledged then (a
 * crashed replica not yet declared dead) into a {@link Hints hint}, handed to the key's new
 * owners when the ring changes. Answers and outcome events are long done by then: this logs
 * nothing.
 */
final class Stragglers {

  /** Acknowledged writes waiting for their last replicas, by both their phase ids. */
  private final TreeMap<Long, PendingRequest> waiting = new TreeMap<>();
  private final Hints hints;

  Stragglers(long hintRetentionMillis) {
    this.hints = new Hints(hintRetentionMillis);
  }

  /** {@code p} was just answered with {@code status}: wait for its last replicas if it stored. */
  void answered(PendingRequest p, KvStatus status) {
    if (status == KvStatus.OK && p.request.op() != KvOp.READ
        && p.stored().size() < p.replicas.size()) {
      waiting.put(p.txId, p);
      if (p.committing()) {
        waiting.put(p.commitTxId, p);
      }
    }
  }

  /** The waiting write with this id (either phase's), or null. */
  PendingRequest get(long txId) {
    return waiting.get(txId);
  }

  /** A late acknowledgement; false if it is not for a waiting write. */
  boolean onReply(Address replica, long txId, Message answer) {
    PendingRequest p = waiting.get(txId);
    if (p == null || !(answer instanceof ReplicaWriteReply w) || txId != p.phaseId()
        || !p.replicas.contains(replica) || p.answered(replica)) {
      return false;
    }
    (p.committing() ? p.commitAnswers : p.writeAnswers).put(replica, w.status());
    if (p.answers() == p.replicas.size()) {
      stop(p);
    }
    return true;
  }

  /** The deadline of waiting write {@code p} passed: keep a hint of it. */
  void expire(PendingRequest p, long nowMillis) {
    stop(p);
    hints.add(p.record(), p.stored(), nowMillis);
  }

  /** Hinted records to send now that the ring is {@code ownersOf}. */
  List<Hints.Delivery> deliveries(Function<String, List<Address>> ownersOf, long nowMillis) {
    return hints.deliveries(ownersOf, nowMillis);
  }

  private void stop(PendingRequest p) {
    waiting.remove(p.txId);
    waiting.remove(p.commitTxId);
  }
}
