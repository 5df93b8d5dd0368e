package io.quorumkv.node.membership;

import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberUpdate;

/**
 * The SWIM merge rule as one pure function: does an incoming fact about a member replace the one
 * we hold? Facts are ordered first by generation (a restarted node's new life beats everything
 * said about its old one), then by incarnation, and at equal incarnation by how bad the news is:
 * suspect beats alive, dead beats suspect, and a graceful leave beats a death. Only the member
 * itself raises its incarnation (to refute a suspicion or to announce its leave), so "alive at a
 * higher incarnation" is the member's own word and beats anything older.
 */
public final class Precedence {

  private Precedence() {
  }

  /**
   * True when {@code incoming} should replace {@code current}. {@code current} may be null (an
   * unknown member), in which case any fact is news; the member list decides whether unknown
   * dead members are worth keeping.
   */
  public static boolean overrides(Member current, MemberUpdate incoming) {
    if (current == null) {
      return true;
    }
    if (incoming.generation() != current.generation()) {
      return incoming.generation() > current.generation();
    }
    long held = current.incarnation();
    long heard = incoming.incarnation();
    if (heard != held) {
      return heard > held;
    }
    return rank(incoming.state()) > rank(current.state());
  }

  /** Severity at equal incarnation. */
  private static int rank(MemberState state) {
    switch (state) {
      case ALIVE:
        return 0;
      case SUSPECT:
        return 1;
      case DEAD:
        return 2;
      case LEFT:
        return 3;
      default:
        throw new IllegalArgumentException(String.valueOf(state));
    }
  }
}
