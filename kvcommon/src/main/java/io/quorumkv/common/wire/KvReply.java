package io.quorumkv.common.wire;

import io.quorumkv.common.time.Version;
import java.util.Objects;

/**
 * The coordinator's answer to a {@link KvRequest}, under the request's id. {@code value} and
 * {@code version} are those read (for a read that found a deleted key, the tombstone's version;
 * for a write, the version written; otherwise empty and {@link Version#ZERO}); {@code reason}
 * explains any status but OK, for a human.
 */
public record KvReply(KvStatus status, String value, Version version, String reason)
    implements Message {

  public KvReply {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
  }
}
