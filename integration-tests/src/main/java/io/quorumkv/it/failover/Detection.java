package io.quorumkv.it.failover;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the event logs say about one kill or pause of {@code victim}: when each survivor removed
 * it, when the first survivor suspected it, and the other suspicions and removals of the run
 * (of other nodes, or of the victim after it came back), which no fault explains. All times are
 * the one machine's wall clock, epoch milliseconds; {@code signalAt} is taken by the bench right
 * before it sends the signal.
 *
 * @param survivors the nodes that must remove the victim
 * @param removedAt each survivor's first removal of the victim at or after the signal
 * @param firstSuspectedAt the first suspicion of the victim by a survivor, or -1
 * @param collateral the run's other suspicions and removals
 */
record Detection(Address victim, Set<Address> survivors, long signalAt,
    Map<Address, Long> removedAt, long firstSuspectedAt, Alarms collateral) {

  /**
   * Reads one run out of {@code events} (every node's, in any order): the victim's suspicions and
   * removals by survivors from {@code signalAt} until {@code recoveredAt} (when the bench
   * restarted or resumed it; {@code Long.MAX_VALUE} before), everything else from
   * {@code signalAt} on as collateral.
   */
  static Detection of(Address victim, Collection<Address> survivors, long signalAt,
      long recoveredAt, List<TimedEvent> events) {
    Set<Address> expected = new TreeSet<>(survivors);
    Map<Address, Long> removedAt = new TreeMap<>();
    long firstSuspected = -1;
    List<TimedEvent> other = new ArrayList<>();
    for (TimedEvent e : events) {
      long t = e.timeMillis();
      if (t < signalAt) {
        continue;
      }
      boolean aboutVictim = t < recoveredAt && expected.contains(e.event().observer())
          && victim.equals(subject(e.event()));
      if (aboutVictim && e.event() instanceof NodeEvent.Suspected) {
        firstSuspected = firstSuspected < 0 ? t : Math.min(firstSuspected, t);
      } else if (aboutVictim && e.event() instanceof NodeEvent.Membership m
          && m.change() == NodeEvent.MembershipChange.REMOVED) {
        removedAt.merge(m.observer(), t, Math::min);
      } else {
        other.add(e);
      }
    }
    return new Detection(victim, expected, signalAt, removedAt, firstSuspected,
        Alarms.among(other));
  }

  /** True when every survivor removed the victim. */
  boolean complete() {
    return removedAt.keySet().containsAll(survivors);
  }

  /** From the signal until the last survivor removed the victim: the measured detection time. */
  long allRemovedMillis() {
    return removedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow() - signalAt;
  }

  long firstRemovedMillis() {
    return removedAt.values().stream().mapToLong(Long::longValue).min().orElseThrow() - signalAt;
  }

  /** From the signal until the first survivor suspected the victim, or -1. */
  long firstSuspectedMillis() {
    return firstSuspectedAt < 0 ? -1 : firstSuspectedAt - signalAt;
  }

  /** The survivors that have not removed the victim (yet). */
  Set<Address> missing() {
    Set<Address> missing = new TreeSet<>(survivors);
    missing.removeAll(removedAt.keySet());
    return missing;
  }

  private static Address subject(NodeEvent event) {
    if (event instanceof NodeEvent.Suspected s) {
      return s.subject();
    }
    if (event instanceof NodeEvent.Membership m) {
      return m.subject();
    }
    return null;
  }
}
