package io.quorumkv.node.emul;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Supplier;

/**
 * Simulated time: a clock in milliseconds and the events due on it, run in order of time, then of
 * scheduling (a sequence number), so equal runs interleave equal events identically. Named
 * invariants are checked after every event. Every run is bounded by an event budget; exceeding
 * it, an action throwing or an invariant breaking fails with the seed and the time.
 */
final class EventQueue {

  /** One queued event; {@code sequence} breaks ties between events at the same time. */
  private record Scheduled(long time, long sequence, Runnable action) {
  }

  /** A named check run after every event, as Kafka's RaftEventSimulationTest does. */
  private record Invariant(String name, Runnable check) {
  }

  private final long seed;
  private final List<Invariant> invariants = new ArrayList<>();
  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
      Comparator.comparingLong(Scheduled::time).thenComparingLong(Scheduled::sequence));
  private long now;
  private long sequence;
  private long maxEventsPerRun;

  EventQueue(long seed, long maxEventsPerRun) {
    this.seed = seed;
    setMaxEventsPerRun(maxEventsPerRun);
  }

  long now() {
    return now;
  }

  void setMaxEventsPerRun(long max) {
    if (max < 1) {
      throw new IllegalArgumentException("max events per run must be >= 1");
    }
    this.maxEventsPerRun = max;
  }

  /** Adds a check to run after every event; a check fails by throwing. */
  void addInvariant(String name, Runnable check) {
    invariants.add(new Invariant(name, check));
  }

  /** Queues {@code action} at {@code time}, which must not be in the past. */
  void schedule(long time, Runnable action) {
    if (time < now) {
      throw new IllegalArgumentException("time " + time + " is in the past (now " + now + ")");
    }
    queue.add(new Scheduled(time, sequence++, action));
  }

  /**
   * Runs every event due at or before {@code until}, then sets the clock to it. {@code context}
   * describes the end of the run for the runaway error (the last trace lines).
   */
  void runUntil(long until, Supplier<String> context) {
    if (until < now) {
      throw new IllegalArgumentException("cannot run back to " + until + " from " + now);
    }
    long processed = 0;
    while (!queue.isEmpty() && queue.peek().time() <= until) {
      if (++processed > maxEventsPerRun) {
        throw new EmulationException(seed, now, "more than " + maxEventsPerRun
            + " events before t=" + until + "ms: a node may be spinning (nextWakeup <= now)"
            + " or flooding; last trace lines: " + context.get(), null);
      }
      Scheduled next = queue.poll();
      now = next.time();
      try {
        next.action().run();
      } catch (EmulationException e) {
        throw e;
      } catch (RuntimeException | AssertionError e) {
        throw new EmulationException(seed, now, "action threw " + e, e);
      }
      for (Invariant invariant : invariants) {
        try {
          invariant.check().run();
        } catch (RuntimeException | AssertionError e) {
          throw new EmulationException(seed, now, "invariant '" + invariant.name() + "' broken: "
              + e.getMessage(), e);
        }
      }
    }
    now = until;
  }
}
