package io.quorumkv.common.ring;

/**
 * How keys are placed: virtual nodes per member and replicas per key.
 *
 * @param vnodesPerMember virtual nodes each member gets on the ring, 1 to {@link #MAX_VNODES}.
 *     More virtual nodes even out how much of the circle each member owns (the spread of a
 *     member's share shrinks about as 1/sqrt(vnodes)) and spread a dead member's keys over more
 *     survivors; they cost memory (16 bytes a token) and build time linearly. Every node and
 *     client of one cluster must use the same value, or they disagree on where keys live.
 * @param replicas how many distinct members hold each key (N of the preference list), at least
 *     1. Three tolerates one dead replica with a quorum of two.
 */
public record RingConfig(int vnodesPerMember, int replicas) {

  /**
   * Default virtual nodes per member, chosen by measurement (see {@code RingBalanceTest}): the
   * smallest power of two that keeps the max/min primary ownership ratio of a 10-member ring
   * (127.0.0.1:7001..7010) at or below about 1.5.
   *
   * <p>Measured max/min primary ownership at 128: 1.110 for 3 members, 1.300 for 5, 1.423 for 10,
   * 1.458 for 20. At 10 members, 64 vnodes give 1.589 and 256 give 1.156. With 100,000 seeded
   * keys on 10 members the max/min keys per member is 1.433 as primary and 1.257 as one of three
   * replicas (replica sets average three arcs, so they even out). A 20 x 128 ring is 2,560 tokens,
   * 40 KB, built in a few milliseconds.
   */
  public static final int DEFAULT_VNODES = 128;

  /** Default replicas per key: the N of "N=3, quorum 2 of 3". */
  public static final int DEFAULT_REPLICAS = 3;

  /** Upper bound on virtual nodes, so a bad setting cannot make ring builds take seconds. */
  public static final int MAX_VNODES = 4096;

  public RingConfig {
    checkVnodes(vnodesPerMember);
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
    }
  }

  /** The defaults: {@link #DEFAULT_VNODES} virtual nodes, {@link #DEFAULT_REPLICAS} replicas. */
  public static RingConfig defaults() {
    return new RingConfig(DEFAULT_VNODES, DEFAULT_REPLICAS);
  }

  static void checkVnodes(int vnodesPerMember) {
    if (vnodesPerMember < 1 || vnodesPerMember > MAX_VNODES) {
      throw new IllegalArgumentException(
          "vnodesPerMember must be in 1.." + MAX_VNODES + ", got " + vnodesPerMember);
    }
  }
}
