package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Which owners a holder of a key must offer it to after the cluster changed, as one pure function
 * of the key's old and new replica lists and the two membership views. Every holder decides on its
 * own, from its own baseline; offers are cheap and owners pull each key from one offerer only, so
 * holders need not agree on who sends (they may have seen different sequences of changes).
 *
 * <ul>
 *   <li>A holder that no longer owns the key offers it to all its new owners, and drops it once
 *       every one of them confirmed holding it.
 *   <li>An owner offers it to the other owners when the key's owners changed: a member joined
 *       the list, or restarted (a new generation): empty if it kept its records in memory,
 *       missing the writes made while it was down if it kept them on disk.
 *   <li>Otherwise nothing moves.
 * </ul>
 */
final class HandoffPlanner {

  /** Offer to {@code targets}; drop our copy once all confirmed when {@code dropAfter}. */
  record Plan(List<Address> targets, boolean dropAfter) {
  }

  private HandoffPlanner() {
  }

  /** The plan for one key, or null when nothing moves. */
  static Plan plan(Address self, List<Address> oldOwners, List<Address> newOwners,
      MembershipView oldView, MembershipView newView) {
    if (newOwners.isEmpty()) {
      return null;
    }
    if (!newOwners.contains(self)) {
      return new Plan(List.copyOf(newOwners), true);
    }
    boolean changed = !oldOwners.equals(newOwners);
    for (Address m : newOwners) {
      changed |= !oldView.sameLife(m, newView);
    }
    if (!changed) {
      return null;
    }
    List<Address> others = new ArrayList<>(newOwners);
    others.remove(self);
    return others.isEmpty() ? null : new Plan(others, false);
  }
}
