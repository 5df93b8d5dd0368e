package io.quorumkv.node.kv;

import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.wire.Address;
import java.util.SortedMap;

/**
 * The cluster as the key-value store sees it at one moment: the ring of members in the cluster
 * and the generation of each. Two views with the same addresses can still differ by a generation:
 * a member restarted with empty storage, which stabilization must refill.
 */
record MembershipView(HashRing ring, SortedMap<Address, Long> generations) {

  /** True when {@code member} is in this view with the same generation as in {@code other}. */
  boolean sameLife(Address member, MembershipView other) {
    Long mine = generations.get(member);
    return mine != null && mine.equals(other.generations.get(member));
  }
}
