package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Who moves a key after the cluster changed, as one pure function of the key's old and new
 * replica lists and the two membership views. It is evaluated by every node that holds the key,
 * each on its own, and is built so that exactly one of them sends:
 *
 * <ul>
 *   <li><b>Keepers</b> are new owners that were old owners in the same life (not restarted): they
 *       hold the key already. The first keeper in the new list is the <b>sender</b>: it pushes the
 *       key to the other new owners (newcomers, and members restarted with empty storage) and,
 *       once they all acknowledged, releases the old owners that no longer own it.
 *   <li>A holder that no longer owns the key <b>waits</b> for that release, if there is a keeper.
 *   <li>With no keeper at all (every old owner gone or restarted), the first old owner still in
 *       the cluster <b>hands the key off</b> itself and drops it once the new owners acknowledged;
 *       a holder that was no old owner (a stale copy) does the same, which may duplicate a transfer
 *       in that rare case but never loses the key.
 * </ul>
 */
final class HandoffPlanner {

  enum Role {
    /** Nothing to do: we own the key, and someone else (or nobody) needs to send it. */
    KEEP,
    /** We are the sender: push to {@link Plan#targets}, then release {@link Plan#leavers}. */
    SEND,
    /** We no longer own the key; its sender will release us. */
    AWAIT_RELEASE,
    /** We no longer own the key and nobody else will move it: push it, then drop it. */
    HAND_OFF
  }

  record Plan(Role role, List<Address> targets, List<Address> leavers) {
    static final Plan KEEP = new Plan(Role.KEEP, List.of(), List.of());
  }

  private HandoffPlanner() {
  }

  static Plan plan(Address self, List<Address> oldOwners, List<Address> newOwners,
      MembershipView oldView, MembershipView newView) {
    List<Address> keepers = new ArrayList<>();
    for (Address m : newOwners) {
      if (oldOwners.contains(m) && oldView.sameLife(m, newView)) {
        keepers.add(m);
      }
    }
    boolean owner = newOwners.contains(self);
    if (!keepers.isEmpty()) {
      if (owner && keepers.get(0).equals(self)) {
        List<Address> targets = without(newOwners, keepers);
        List<Address> leavers = new ArrayList<>();
        for (Address m : oldOwners) {
          if (!newOwners.contains(m) && newView.generations().containsKey(m)) {
            leavers.add(m);
          }
        }
        return targets.isEmpty() && leavers.isEmpty() ? Plan.KEEP
            : new Plan(Role.SEND, targets, leavers);
      }
      return owner ? Plan.KEEP : new Plan(Role.AWAIT_RELEASE, List.of(), List.of());
    }
    // No keeper: the key survives only where it is held now.
    Address firstSurvivor = null;
    for (Address m : oldOwners) {
      if (newView.generations().containsKey(m) && oldView.sameLife(m, newView)) {
        firstSurvivor = m;
        break;
      }
    }
    boolean mine = self.equals(firstSurvivor) || !oldOwners.contains(self);
    if (!mine) {
      return owner ? Plan.KEEP : new Plan(Role.AWAIT_RELEASE, List.of(), List.of());
    }
    List<Address> targets = without(newOwners, List.of(self));
    if (owner) {
      return targets.isEmpty() ? Plan.KEEP : new Plan(Role.SEND, targets, List.of());
    }
    return new Plan(Role.HAND_OFF, targets, List.of());
  }

  private static List<Address> without(List<Address> all, List<Address> excluded) {
    List<Address> out = new ArrayList<>();
    for (Address a : all) {
      if (!excluded.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }
}
