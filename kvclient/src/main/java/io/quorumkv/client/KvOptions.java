package io.quorumkv.client;

import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvLimits;
import java.util.Objects;

/**
 * What a key-value request asks of its coordinator, sent with the request.
 *
 * @param consistency how many replicas must agree before the coordinator answers; QUORUM by
 *     default (2 of 3 with the default configuration). ONE answers faster and survives more
 *     failures but may read a stale value; ALL fails as soon as one replica is unreachable.
 * @param timeoutMillis how long the coordinator waits for those replicas before it answers
 *     "unavailable", in milliseconds; 0 (the default) leaves it to the coordinator's own default
 *     (1000 ms with the node's local preset, 2000 ms with lan). At most
 *     {@link KvLimits#MAX_TIMEOUT_MILLIS}, which the coordinator enforces too.
 */
public record KvOptions(Consistency consistency, long timeoutMillis) {

  public KvOptions {
    Objects.requireNonNull(consistency, "consistency");
    if (timeoutMillis < 0 || timeoutMillis > KvLimits.MAX_TIMEOUT_MILLIS) {
      throw new IllegalArgumentException("request timeout must be 0.." + KvLimits.MAX_TIMEOUT_MILLIS
          + " ms (0 = the node's default), got " + timeoutMillis);
    }
  }

  /** QUORUM, and the coordinator's default timeout. */
  public static KvOptions defaults() {
    return new KvOptions(Consistency.QUORUM, 0);
  }

  /** A copy with another consistency level. */
  public KvOptions withConsistency(Consistency level) {
    return new KvOptions(level, timeoutMillis);
  }

  /** A copy with another request timeout (0 = the coordinator's default). */
  public KvOptions withTimeoutMillis(long millis) {
    return new KvOptions(consistency, millis);
  }
}
