package io.quorumkv.node.kv;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One client request a coordinator is gathering answers for. Mutable; owned by the loop. */
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
  /** Write answers by replica, in arrival order. */
  final Map<Address, KvStatus> writeAnswers = new LinkedHashMap<>();
  /** Read answers by replica, in arrival order. */
  final Map<Address, KeyRecord> readAnswers = new LinkedHashMap<>();

  PendingRequest(long txId, Address client, long clientRequestId, KvRequest request,
      Version version, List<Address> replicas, int required, long timeoutMillis, long nowMillis,
      long retransmitIntervalMillis) {
    this.txId = txId;
    this.client = client;
    this.clientRequestId = clientRequestId;
    this.request = request;
    this.version = version;
    this.replicas = List.copyOf(replicas);
    this.required = required;
    this.timeoutMillis = timeoutMillis;
    this.deadlineMillis = nowMillis + timeoutMillis;
    this.nextRetransmitMillis = nowMillis + retransmitIntervalMillis;
  }

  boolean answered(Address replica) {
    return writeAnswers.containsKey(replica) || readAnswers.containsKey(replica);
  }

  int answers() {
    return writeAnswers.size() + readAnswers.size();
  }
}
