package io.quorumkv.common.wire;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quorumkv.common.time.Version;
import java.util.Objects;

/**
 * One stored key as it travels between replicas: its value, or a tombstone when deleted, and the
 * version that wrote it. Last writer wins: of two records of one key, the higher version stays.
 */
public record KeyRecord(String key, String value, boolean tombstone, Version version) {

  public KeyRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
    if (tombstone && !value.isEmpty()) {
      throw new IllegalArgumentException("a tombstone has no value");
    }
  }

  /** The record of a key never written. */
  public static KeyRecord absent(String key) {
    return new KeyRecord(key, "", true, Version.ZERO);
  }

  /** True when this record holds a live value. Derived, so not a field on the wire. */
  @JsonIgnore
  public boolean isLive() {
    return !tombstone;
  }
}
