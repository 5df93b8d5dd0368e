package io.quorumkv.it.failover;

import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Suspicions and removals that no fault explains (during the soak, or of nodes other than a run's
 * victim), from the event logs. Every observer logs a suspicion it hears of, so one false
 * suspicion usually shows as several lines: {@link #suspicions()} counts the distinct ones
 * (subject, life and incarnation), {@link #suspicionLines()} the lines; {@link #removals()}
 * counts removal lines (each is one observer wrongly dropping a live member), and
 * {@link #removedMembers()} the distinct members (and lives and incarnations) removed.
 */
record Alarms(List<TimedEvent> suspected, List<TimedEvent> removed) {

  /** The suspicion and removal events among {@code events}. */
  static Alarms among(List<TimedEvent> events) {
    List<TimedEvent> suspected = new ArrayList<>();
    List<TimedEvent> removed = new ArrayList<>();
    for (TimedEvent e : events) {
      if (e.event() instanceof NodeEvent.Suspected) {
        suspected.add(e);
      } else if (e.event() instanceof NodeEvent.Membership m
          && m.change() == NodeEvent.MembershipChange.REMOVED) {
        removed.add(e);
      }
    }
    return new Alarms(List.copyOf(suspected), List.copyOf(removed));
  }

  /** Distinct suspicions: one per subject, life and incarnation, however many logged it. */
  int suspicions() {
    return episodes().size();
  }

  int suspicionLines() {
    return suspected.size();
  }

  int removals() {
    return removed.size();
  }

  /** Distinct members removed: one per subject, life and incarnation, however many removed it. */
  int removedMembers() {
    return (int) removed.stream().map(e -> (NodeEvent.Membership) e.event())
        .map(m -> List.of(m.subject(), m.generation(), m.incarnation())).distinct().count();
  }

  boolean none() {
    return suspected.isEmpty() && removed.isEmpty();
  }

  /** "2 suspicions (11 lines), 1 removal": the counts alone. */
  String brief() {
    return plural(suspicions(), "suspicion") + " (" + plural(suspicionLines(), "line") + "), "
        + plural(removals(), "removal");
  }

  /**
   * "0 suspicions, 0 removals", or with details: each suspicion's subject, incarnation, how many
   * observers logged it and when it was first logged (relative to {@code originMillis}), and each
   * removal's observer and subject; the first {@link #DETAILS} of each, then how many more.
   */
  String describe(long originMillis) {
    List<String> suspicionDetails = new ArrayList<>();
    for (Map.Entry<List<Object>, List<TimedEvent>> e : episodes().entrySet()) {
      suspicionDetails.add(e.getKey().get(0) + " i" + e.getKey().get(2) + " by "
          + e.getValue().size() + " at +" + (e.getValue().get(0).timeMillis() - originMillis)
          + " ms");
    }
    List<String> removalDetails = new ArrayList<>();
    for (TimedEvent e : removed) {
      NodeEvent.Membership m = (NodeEvent.Membership) e.event();
      removalDetails.add(m.subject() + " by " + m.observer() + " at +"
          + (e.timeMillis() - originMillis) + " ms");
    }
    return plural(suspicions(), "suspicion") + details(suspicionDetails) + ", "
        + plural(removals(), "removal") + details(removalDetails);
  }

  /** Details listed by {@link #describe} of each kind before "and N more". */
  static final int DETAILS = 8;

  private static String details(List<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    String listed = String.join("; ", items.subList(0, Math.min(DETAILS, items.size())));
    return " (" + listed + (items.size() > DETAILS ? "; and " + (items.size() - DETAILS)
        + " more" : "") + ")";
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  /** Suspicion lines by subject, life and incarnation, in order of first appearance. */
  private Map<List<Object>, List<TimedEvent>> episodes() {
    Map<List<Object>, List<TimedEvent>> episodes = new LinkedHashMap<>();
    for (TimedEvent e : suspected) {
      NodeEvent.Suspected s = (NodeEvent.Suspected) e.event();
      episodes.computeIfAbsent(List.of(s.subject(), s.generation(), s.incarnation()),
          k -> new ArrayList<>()).add(e);
    }
    return episodes;
  }
}
