package io.quorumkv.node.emul;

import io.quorumkv.node.Counters;
import io.quorumkv.node.NodeEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every node event of a run, stamped with simulated time, in the order logged, and each also a
 * trace line. Bounded at {@link EmulatedNetwork#MAX_RECORDED_EVENTS}: further events are only
 * counted, in {@code events.overflow}, so a long run cannot fill the heap with them.
 */
final class EventLog {

  private final EventQueue queue;
  private final Trace trace;
  private final Counters stats;
  private final List<TimedEvent> events = new ArrayList<>();

  EventLog(EventQueue queue, Trace trace, Counters stats) {
    this.queue = queue;
    this.trace = trace;
    this.stats = stats;
  }

  /** Records {@code event} at the current simulated time; the nodes' event sink. */
  void record(NodeEvent event) {
    if (events.size() >= EmulatedNetwork.MAX_RECORDED_EVENTS) {
      stats.increment("events.overflow");
      return;
    }
    events.add(new TimedEvent(queue.now(), event));
    trace.add(queue.now() + " event " + event);
  }

  /** A read-only view of the events so far, in the order logged. */
  List<TimedEvent> events() {
    return Collections.unmodifiableList(events);
  }
}
