package io.quorumkv.client;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import java.util.Objects;

/**
 * The answer to one key-value request. Every status is a normal result, not an exception: a key
 * that is not there, a create that finds the key, a quorum that was not reached. Only a request
 * that no node answered at all throws ({@link NoNodeAnsweredException}).
 *
 * @param status what the coordinator decided, or {@link KvStatus#INVALID} when the client refused
 *     to send the request (see {@link #sent()})
 * @param value the value read; empty for writes and for any status but OK
 * @param version the version read or written; {@link Version#ZERO} when there is none
 * @param reason why the status is not OK, for a human; empty for OK
 * @param sent false when the client refused the request itself (key or value too large, a value
 *     given to read or delete) and sent nothing
 */
public record KvResult(KvStatus status, String value, Version version, String reason,
    boolean sent) {

  public KvResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
  }

  /** The coordinator's answer. */
  public static KvResult of(KvReply reply) {
    return new KvResult(reply.status(), reply.value(), reply.version(), reply.reason(), true);
  }

  /** A request the client refused to send, with the reason. */
  public static KvResult refused(String reason) {
    return new KvResult(KvStatus.INVALID, "", Version.ZERO, reason, false);
  }

  public boolean isOk() {
    return status == KvStatus.OK;
  }
}
