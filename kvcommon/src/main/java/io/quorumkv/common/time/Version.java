package io.quorumkv.common.time;

import io.quorumkv.common.wire.Address;

/**
 * The version of a stored value: the {@link HybridClock} timestamp of the write and the node that
 * coordinated it. Versions are totally ordered: the later timestamp (unsigned) wins, and equal
 * timestamps are broken by the writer's address (the higher wins). Every replica that compares
 * the same two versions therefore keeps the same one: last writer wins, with no ties.
 *
 * <p>A node never issues one timestamp twice (its clock is strictly monotonic), so two different
 * writes never share a version, provided a restarting node starts its clock after the largest
 * timestamp it wrote before ({@link HybridClock#HybridClock(long, long)}); otherwise the fresh
 * clock could reissue a timestamp the old one used (it may have run ahead of the wall clock) and
 * leave two different values with one version.
 *
 * <p>Plain fields, so the record goes into wire messages as
 * {@code {"timestamp":...,"writer":"host:port"}}; the timestamp is the packed 64-bit HLC value.
 */
public record Version(long timestamp, Address writer) implements Comparable<Version> {

  /**
   * "No version": the least element of the order. Timestamp 0 is never issued by a clock, and
   * "-:0" is the least address (the host "-" sorts below every other valid host), so every real
   * version is newer than ZERO.
   */
  public static final Version ZERO = new Version(0L, new Address("-", 0));

  public Version {
    if (writer == null) {
      throw new IllegalArgumentException("version writer is missing");
    }
  }

  @Override
  public int compareTo(Version other) {
    int byTime = Long.compareUnsigned(timestamp, other.timestamp);
    return byTime != 0 ? byTime : writer.compareTo(other.writer);
  }

  /** Written out, as {@link Address#equals} is: the generated one dispatches through handles. */
  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof Version v && timestamp == v.timestamp && writer.equals(v.writer));
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(timestamp) + writer.hashCode();
  }

  /** True if this version wins over {@code other} under last writer wins. */
  public boolean isNewerThan(Version other) {
    return compareTo(other) > 0;
  }

  /** The winner of the two under last writer wins. */
  public static Version newest(Version a, Version b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** "physical.logical@host:port", e.g. "1700000000000.3@127.0.0.1:7001". */
  @Override
  public String toString() {
    return HybridClock.format(timestamp) + "@" + writer;
  }
}
