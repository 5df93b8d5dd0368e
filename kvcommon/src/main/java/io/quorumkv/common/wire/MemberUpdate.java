package io.quorumkv.common.wire;

import java.util.Objects;

/**
 * One fact about one member, as gossiped: "address, in its generation g and incarnation i, is in
 * state s". Generations tell lives apart (a node restarted on the same address starts a new
 * generation, so stale facts about its previous life are ignored); incarnations order facts within
 * one life and let a node refute suspicion about itself.
 */
public record MemberUpdate(Address address, long generation, long incarnation, MemberState state) {

  public MemberUpdate {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(state, "state");
    if (generation < 0) {
      throw new IllegalArgumentException("generation must be >= 0");
    }
    if (incarnation < 0) {
      throw new IllegalArgumentException("incarnation must be >= 0");
    }
  }
}
