package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.ReplicaWriteReply;
import java.util.List;

/**
 * What a coordinator still does for writes it has already acknowledged: it waits, until the
 * request's deadline, for the replicas that have not acknowledged yet (the coordinator keeps
 * resending to them), and turns a write that some replica still has not acknowledged then (a
 * crashed replica not yet declared dead, a paused one) into a hint, offered to the replicas
 * missing it ({@link HintedHandoff}). Answers and outcome events are long done by then: this
 * logs nothing.
 */
final class Stragglers {

  /**
   * Acknowledged writes waiting for their last replicas, by both their phase ids. Bounded by the
   * write rate: each leaves at its deadline at the latest, so it holds at most the writes
   * begun within the longest request timeout. Primitive keys: it is asked about every
   * reply and every timer of a finished request, and a {@code Map<Long, ...>} boxed each id.
   */
  private final LongKeyMap<PendingRequest> waiting = new LongKeyMap<>();
  private final HintedHandoff hinted;

  Stragglers(HintedHandoff hinted) {
    this.hinted = hinted;
  }

  /** {@code p} was just answered with {@code status}: wait for its last replicas if it stored. */
  void answered(PendingRequest p, KvStatus status) {
    if (status == KvStatus.OK && p.request.op() != KvOp.READ
        && p.storedCount() < p.replicas.size()) {
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
    p.writePhase().add(replica, w.status());
    if (p.answers() == p.replicas.size()) {
      stop(p);
    }
    return true;
  }

  /**
   * The deadline of waiting write {@code p} passed: keep a hint of it for {@code owners}, the
   * key's owners by the ring now (which may have dropped a dead replica since the write began).
   */
  void expire(PendingRequest p, List<Address> owners, long nowMillis) {
    stop(p);
    hinted.keep(p.record(), p.stored(), owners, nowMillis);
  }

  private void stop(PendingRequest p) {
    waiting.remove(p.txId);
    waiting.remove(p.commitTxId);
  }
}
