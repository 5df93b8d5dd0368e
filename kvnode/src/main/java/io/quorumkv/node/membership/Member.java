package io.quorumkv.node.membership;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberUpdate;
import java.util.Objects;

/**
 * What this node believes about one member: the newest fact it accepted, and when the member's
 * state last changed (in the node's monotonic milliseconds), which dates suspicions and lets dead
 * entries be forgotten after a retention period.
 */
public record Member(
    Address address, long generation, long incarnation, MemberState state, long changedAtMillis) {

  public Member {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(state, "state");
  }

  /** This member as a gossipable fact. */
  public MemberUpdate toUpdate() {
    return new MemberUpdate(address, generation, incarnation, state);
  }

  /** True while the member counts as part of the cluster (alive or suspect). */
  public boolean inCluster() {
    return state.isInCluster();
  }
}
