package io.quorumkv.common.wire;

import java.util.Objects;

/** Asks a node which members hold {@code key}, in preference order; see {@link LocateReply}. */
public record LocateRequest(String key) implements Message {

  public LocateRequest {
    Objects.requireNonNull(key, "key");
  }
}
