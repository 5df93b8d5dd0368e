package io.quorumkv.node.kv;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.ReplicaCheck;
import io.quorumkv.common.wire.ReplicaCommit;
import io.quorumkv.common.wire.ReplicaRead;
import io.quorumkv.common.wire.ReplicaWrite;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One client request a coordinator is gathering answers for. Mutable; owned by the loop. A
 * conditional write goes through two phases: the checks ({@link #writeAnswers}), then, once
 * enough replicas accepted, the commit under its own id ({@link #commitTxId},
 * {@link #commitAnswers}), so that late answers to the checks cannot count as commit acks.
 */
final class PendingRequest {

  final long txId;
  final Address client;
  final long clientRequestId;
  final KvRequest request;
  final Version version;
  final List<Address> replicas;
  final int required;
  final long timeoutMillis;
  final long deadlineMillis;
  long nextRetransmitMillis;
  /** A read whose first replicas were late, so it asked every replica. */
  boolean speculated;
  /** Write answers by replica, in arrival order. */
  final PhaseAnswers<KvStatus> writeAnswers;
  /** Read answers by replica, in arrival order. */
  final PhaseAnswers<KeyRecord> readAnswers;
  /** The commit phase's id, 0 before it started. */
  long commitTxId;
  /** Commit acknowledgements by replica, in arrival order. */
  final PhaseAnswers<KvStatus> commitAnswers;

  PendingRequest(long txId, Address client, long clientRequestId, KvRequest request,
      Version version, List<Address> replicas, int required, long timeoutMillis, long nowMillis,
      long firstRetransmitMillis) {
    this.txId = txId;
    this.client = client;
    this.clientRequestId = clientRequestId;
    this.request = request;
    this.version = version;
    this.replicas = List.copyOf(replicas);
    this.required = required;
    this.timeoutMillis = timeoutMillis;
    this.deadlineMillis = nowMillis + timeoutMillis;
    this.nextRetransmitMillis = nowMillis + firstRetransmitMillis;
    int n = this.replicas.size();
    this.writeAnswers = new PhaseAnswers<>(n);
    this.readAnswers = new PhaseAnswers<>(n);
    this.commitAnswers = new PhaseAnswers<>(n);
  }

  boolean committing() {
    return commitTxId != 0;
  }

  /** The id the current phase's messages and answers carry. */
  long phaseId() {
    return committing() ? commitTxId : txId;
  }

  /** Whether {@code replica} answered the current phase. */
  boolean answered(Address replica) {
    return committing() ? commitAnswers.has(replica)
        : writeAnswers.has(replica) || readAnswers.has(replica);
  }

  /** Answers to the current phase. */
  int answers() {
    return committing() ? commitAnswers.size() : writeAnswers.size() + readAnswers.size();
  }

  /** The first message to the replicas: a read, a put to apply, or a conditional write to check. */
  Message toReplicas() {
    KvRequest r = request;
    return switch (r.op()) {
      case READ -> new ReplicaRead(r.key(), client, clientRequestId);
      case PUT -> new ReplicaWrite(r.op(), r.key(), r.value(), version, client, clientRequestId);
      case CREATE, UPDATE, DELETE -> new ReplicaCheck(r.op(), r.key(), r.value(), version,
          client, clientRequestId);
    };
  }

  /** Phase two of a conditional write. */
  ReplicaCommit commit() {
    return new ReplicaCommit(record(), client, clientRequestId);
  }

  /** The newest record among the read answers (null before the first). */
  KeyRecord newestRead() {
    KeyRecord newest = null;
    for (int i = 0; i < readAnswers.size(); i++) {
      KeyRecord r = readAnswers.answer(i);
      if (newest == null || r.version().compareTo(newest.version()) > 0) {
        newest = r;
      }
    }
    return newest;
  }

  /** The record a write stores: its value, or a delete's tombstone, with its version. */
  KeyRecord record() {
    return request.op() == KvOp.DELETE ? new KeyRecord(request.key(), "", true, version)
        : new KeyRecord(request.key(), request.value(), false, version);
  }

  /** The answers to the write's last phase (the commit's, once it began). */
  PhaseAnswers<KvStatus> writePhase() {
    return committing() ? commitAnswers : writeAnswers;
  }

  /** How many replicas acknowledged the write (its last phase) with ok. */
  int storedCount() {
    PhaseAnswers<KvStatus> phase = writePhase();
    int n = 0;
    for (int i = 0; i < phase.size(); i++) {
      n += phase.answer(i) == KvStatus.OK ? 1 : 0;
    }
    return n;
  }

  /** The replicas that acknowledged the write (the last phase) with ok. */
  Set<Address> stored() {
    Set<Address> out = new TreeSet<>();
    PhaseAnswers<KvStatus> phase = writePhase();
    for (int i = 0; i < phase.size(); i++) {
      if (phase.answer(i) == KvStatus.OK) {
        out.add(phase.replica(i));
      }
    }
    return out;
  }
}
