package io.quorumkv.common.wire;

import java.util.Objects;

/**
 * One row of a node's member list as shown to an operator.
 *
 * @param lastHeardMillisAgo milliseconds since the reporting node last received anything from
 *     this member, or -1 when it never has (itself, or a member known only through gossip)
 */
public record MemberStatus(
    Address address, MemberState state, long generation, long incarnation, long lastHeardMillisAgo) {

  public MemberStatus {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(state, "state");
    if (generation < 0) {
      throw new IllegalArgumentException("generation must be >= 0");
    }
    if (incarnation < 0) {
      throw new IllegalArgumentException("incarnation must be >= 0");
    }
    if (lastHeardMillisAgo < -1) {
      throw new IllegalArgumentException("lastHeardMillisAgo must be >= -1");
    }
  }
}
