package io.quorumkv.node.emul;

import io.quorumkv.node.NodeEvent;
import java.util.Objects;

/** A node event stamped with the simulated time, in milliseconds, at which the node logged it. */
public record TimedEvent(long timeMillis, NodeEvent event) {

  public TimedEvent {
    Objects.requireNonNull(event, "event");
  }

  /** The event's grader tick for a given tick length (the original logs "[t]" with t = time / tick). */
  public long tick(long tickMillis) {
    return timeMillis / tickMillis;
  }
}
