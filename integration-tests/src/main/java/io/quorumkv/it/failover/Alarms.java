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
 * counts removal lines (each is one observer wrongly dropping a live member).
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

  boolean none() {
    return suspected.isEmpty() && removed.isEmpty();
  }

  /**
   * "0 suspicions, 0 removals", or with details: each suspicion's subject, incarnation, how many
   * observers logged it and when it was first logged (relative to {@code originMillis}), and each
   * removal's observer and subject.
   */
  String describe(long originMillis) {
    StringBuilder out = new StringBuilder();
    out.append(suspicions()).append(suspicions() == 1 ? " suspicion" : " suspicions");
    if (!suspected.isEmpty()) {
      out.append(" (");
      String sep = "";
      for (Map.Entry<List<Object>, List<TimedEvent>> e : episodes().entrySet()) {
        out.append(sep).append(e.getKey().get(0)).append(" i").append(e.getKey().get(2))
            .append(" by ").append(e.getValue().size())
            .append(" at +").append(e.getValue().get(0).timeMillis() - originMillis).append(" ms");
        sep = "; ";
      }
      out.append(")");
    }
    out.append(", ").append(removals()).append(removals() == 1 ? " removal" : " removals");
    if (!removed.isEmpty()) {
      out.append(" (");
      String sep = "";
      for (TimedEvent e : removed) {
        NodeEvent.Membership m = (NodeEvent.Membership) e.event();
        out.append(sep).append(m.subject()).append(" by ").append(m.observer()).append(" at +")
            .append(e.timeMillis() - originMillis).append(" ms");
        sep = "; ";
      }
      out.append(")");
    }
    return out.toString();
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
