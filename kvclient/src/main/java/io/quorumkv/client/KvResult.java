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
 * @param retried true when the request was sent more than once (an attempt went unanswered):
 *     then a write refused as "exists" or "not found" may have been applied by an earlier
 *     attempt, whose coordinator's answer was lost, and changed since ({@link #isAmbiguous})
 */
public record KvResult(KvStatus status, String value, Version version, String reason,
    boolean sent, boolean retried) {

  public KvResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
  }

  /** The coordinator's answer to the first attempt. */
  public static KvResult of(KvReply reply) {
    return of(reply, false);
  }

  /** The coordinator's answer; {@code retried} when it took more than one attempt. */
  public static KvResult of(KvReply reply, boolean retried) {
    return new KvResult(reply.status(), reply.value(), reply.version(), reply.reason(), true,
        retried);
  }

  /** A request the client refused to send, with the reason. */
  public static KvResult refused(String reason) {
    return new KvResult(KvStatus.INVALID, "", Version.ZERO, reason, false, false);
  }

  public boolean isOk() {
    return status == KvStatus.OK;
  }

  /**
   * True for a conditional write refused ("exists", "not found") after a retry: the refusal is
   * then no proof that nothing was written, as an earlier attempt may have taken effect.
   */
  public boolean isAmbiguous() {
    return retried && (status == KvStatus.EXISTS || status == KvStatus.NOT_FOUND);
  }
}
