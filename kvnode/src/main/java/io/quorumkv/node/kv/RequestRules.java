package io.quorumkv.node.kv;

import io.quorumkv.common.wire.KvLimits;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Limits;

/**
 * The coordinator's pure rules about a client's request: what makes it invalid, whether it might
 * not fit a datagram once forwarded, and how a refusal reads.
 */
final class RequestRules {

  private RequestRules() {
  }

  /**
   * False when the request is small enough to fit whatever its characters: JSON escapes one
   * character in at most six bytes. Spares the encoding check for nearly every request.
   */
  static boolean mayNotFit(KvRequest request) {
    long worst = 6L * (request.key().length() + request.value().length()) + 1024;
    return worst > Limits.MAX_DATAGRAM_BYTES;
  }

  /** Why {@code request} is invalid, or null when it is fine. */
  static String problemWith(KvRequest request) {
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

  /** The reason a refusal gives, e.g. "key 'k' not found". */
  static String describe(KvStatus status, String key) {
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
