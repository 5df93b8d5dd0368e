package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import java.util.Map;
import java.util.TreeMap;

/**
 * What anti-entropy has proved about each other member, for the orphan sweep's purge of
 * tombstones: per peer, a time before which every tombstone this node holds is known to be held
 * by that peer too (or overwritten there). The grace period alone assumed that every pair of
 * replicas compares within it; under sustained load anti-entropy walks ten times slower
 * ({@link AePace}), and in a large cluster a pair could miss that, and a replica that missed a
 * delete would bring the value back once the tombstone was purged everywhere else.
 *
 * <p>A peer's time comes from the latest session with it, on either side, that ended complete
 * (in sync, or every differing bucket compared, with none of our entries left out by
 * {@link io.quorumkv.node.KvConfig#aeMaxKeysPerSession()}). It is the least of:
 *
 * <ul>
 *   <li>the session's cutoff: only records stamped before it were compared;
 *   <li>the stamp of the oldest record it pushed: pushes are silent repairs, never acknowledged,
 *       so the peer may still lack it (a tombstone pushed is not yet proved held);
 *   <li>the stamp of the oldest tombstone stored here while the session ran or since it ended:
 *       stamped before the cutoff but arrived late (a repair from a third node, a hint), it was
 *       not seen by the session's walk, so nothing was proved about it.
 * </ul>
 *
 * Bounded by the ring: only current members are asked about, and a view change forgets every
 * peer, since what a session compared was what both replicated under the old ring (and a member
 * that restarted may have lost what it held). The cost is that after a membership change no
 * tombstone is purged until this node has completed a session with every member again.
 */
final class Reconciliation {

  /** Per peer, the time before which its tombstones are proved held there. */
  private final TreeMap<Address, Long> provedBefore = new TreeMap<>();
  /** Per session in progress (by {@link AntiEntropy}'s key), the oldest tombstone stored since. */
  private final Map<String, Long> openFloors = new TreeMap<>();
  private final Address self;
  private MembershipView view;

  Reconciliation(Address self, MembershipView view) {
    this.self = self;
    this.view = view;
  }

  /** The owners changed: nothing proved under the old ring counts (see the class comment). */
  void viewChanged(MembershipView next) {
    view = next;
    provedBefore.clear();
    openFloors.clear();
  }

  /** A session began: tombstones stored from now on were not necessarily seen by its walk. */
  void opened(String session) {
    openFloors.put(session, Long.MAX_VALUE);
  }

  /** A session ended without proving anything (timed out, or cut short). */
  void abandoned(String session) {
    openFloors.remove(session);
  }

  /**
   * A session with {@code peer} ended complete; {@code provedBeforeMillis} is its cutoff, or the
   * stamp of the oldest record it pushed if less. Replaces what an earlier session proved.
   */
  void completed(String session, Address peer, long provedBeforeMillis) {
    Long floor = openFloors.remove(session);
    long proved = Math.min(provedBeforeMillis, floor == null ? Long.MAX_VALUE : floor);
    if (view.generations().containsKey(peer)) {
      provedBefore.put(peer, proved);
    }
  }

  /** A tombstone stamped {@code physicalMillis} was stored here, by whatever path. */
  void tombstoneStored(long physicalMillis) {
    provedBefore.replaceAll((peer, t) -> Math.min(t, physicalMillis));
    openFloors.replaceAll((session, t) -> Math.min(t, physicalMillis));
  }

  /**
   * The time before which every tombstone held here is proved held by every other current
   * member: {@link Long#MIN_VALUE} while some member has completed no session with us since the
   * last view change, {@link Long#MAX_VALUE} for a node alone in its ring.
   */
  long reconciledBeforeMillis() {
    long min = Long.MAX_VALUE;
    for (Address member : view.generations().keySet()) {
      if (!member.equals(self)) {
        min = Math.min(min, provedBefore.getOrDefault(member, Long.MIN_VALUE));
      }
    }
    return min;
  }
}
