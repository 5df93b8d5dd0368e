package io.quorumkv.it;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The event logs of every node of a {@link LocalCluster}, the logs of killed nodes included, read
 * back with {@link EventLogReader} as the emulator records events, so that the same checks and
 * graders read real and emulated runs.
 */
final class ClusterEvents {

  private final RunDirectory dirs;
  private final int size;

  ClusterEvents(RunDirectory dirs, int size) {
    this.dirs = dirs;
    this.size = size;
  }

  /** Every node's events, times relative to {@code originMillis}, in time order. */
  List<TimedEvent> all(long originMillis) throws IOException {
    List<TimedEvent> all = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      all.addAll(EventLogReader.read(dirs.eventLog(i), originMillis));
    }
    all.sort(Comparator.comparingLong(TimedEvent::timeMillis));
    return all;
  }

  /** The "removed" events node {@code i} logged about {@code subject}: their wall-clock times. */
  List<Long> removalTimes(int i, Address subject) throws IOException {
    List<Long> times = new ArrayList<>();
    for (TimedEvent e : EventLogReader.read(dirs.eventLog(i), 0)) {
      if (e.event() instanceof NodeEvent.Membership m && m.subject().equals(subject)
          && m.change() == NodeEvent.MembershipChange.REMOVED) {
        times.add(e.timeMillis());
      }
    }
    return times;
  }

  /** Counts the key-value outcome events with this role, operation, outcome and key. */
  long kvEvents(String role, String op, String outcome, String key) throws IOException {
    return all(0).stream().map(TimedEvent::event)
        .filter(e -> e instanceof NodeEvent.KvOutcome kv
            && kv.role().name().equalsIgnoreCase(role) && kv.op().wireName().equals(op)
            && kv.success() == outcome.equals("success") && kv.key().equals(key))
        .count();
  }
}
