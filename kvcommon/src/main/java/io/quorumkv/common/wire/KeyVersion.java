package io.quorumkv.common.wire;

import io.quorumkv.common.time.Version;
import java.util.Objects;

/** A key and the version a node holds of it: what an {@link Offer} advertises. */
public record KeyVersion(String key, Version version) {

  public KeyVersion {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(version, "version");
  }
}
