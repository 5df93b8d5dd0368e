package io.quorumkv.node.sim;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.check.Checker.Interval;
import io.quorumkv.node.emul.EmulatedNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * A seeded fault schedule, in the manner of FoundationDB's and TigerBeetle's simulators: a fault
 * phase of steps a few seconds apart, each turning a fault on or off (message loss up to 30%,
 * delays that reorder, duplication, symmetric and one-way partitions, crashes and restarts,
 * several at once), then a heal that turns everything off and restarts every crashed node. Some
 * schedules also skew node clocks, set before the nodes start.
 *
 * <p>Never more than {@link #MAX_DISRUPTED} nodes are disrupted at once, a node counting as
 * disrupted from its crash until {@link #REFILL_MILLIS} after its restart (a restarted node
 * comes back empty): so no key loses more replicas than the store survives. The schedule also
 * names the intervals in which quorum reads are not promised to see quorum writes: while a
 * partition is on (and {@link #REJOIN_MILLIS} after), and while two nodes are disrupted.
 */
final class FaultSchedule {

  /** Most nodes crashed or not yet refilled at once: a key keeps at least one of 3 replicas. */
  static final int MAX_DISRUPTED = 2;
  /** How long a restarted node counts as disrupted: detection, rejoin and stabilization. */
  static final long REFILL_MILLIS = 8_000;
  /** How long after a partition heals the cluster may still hold two views. */
  static final long REJOIN_MILLIS = 8_000;

  /** One step: at {@code atMillis} after the fault phase began, do {@code what}. */
  record Step(long atMillis, String what, Action action) {
  }

  /** What a step does to the network and its nodes. */
  interface Action {
    void apply(EmulatedNetwork net, Simulation.Nodes nodes);
  }

  private final List<Step> steps = new ArrayList<>();
  private final Map<Address, Long> clockOffsets = new TreeMap<>();
  private final List<Interval> unsafe = new ArrayList<>();
  private final long faultMillis;

  private FaultSchedule(long faultMillis) {
    this.faultMillis = faultMillis;
  }

  /** Draws a schedule for {@code nodes} over a fault phase of {@code faultMillis}. */
  static FaultSchedule draw(RandomGenerator random, List<Address> nodes, long faultMillis) {
    FaultSchedule s = new FaultSchedule(faultMillis);
    if (random.nextDouble() < 0.35) {
      int skewed = 1 + random.nextInt(2);
      for (int i = 0; i < skewed; i++) {
        long offset = (50 + random.nextInt(4_000)) * (random.nextBoolean() ? 1 : -1);
        s.clockOffsets.put(nodes.get(random.nextInt(nodes.size())), offset);
      }
    }
    // Crashed nodes with their crash time, and the [crash, restart + refill) spans of those back.
    TreeMap<Address, Long> crashed = new TreeMap<>();
    List<long[]> disruptions = new ArrayList<>();
    long partitionedSince = -1;
    long t = 500 + random.nextInt(1_500);
    while (t < faultMillis) {
      int kind = random.nextInt(9);
      long at = t;
      switch (kind) {
        case 0 -> {
          double p = 0.01 + random.nextDouble() * 0.29;
          s.add(at, String.format(Locale.ROOT, "loss %.0f%%", p * 100),
              (net, n) -> net.faults().setDropProbability(p));
        }
        case 1 -> {
          long max = 5 + random.nextInt(76);
          s.add(at, "delay 1.." + max + " ms (reordering)", (net, n) -> net.faults().setDelay(1,
              max));
        }
        case 2 -> {
          double p = 0.01 + random.nextDouble() * 0.19;
          s.add(at, String.format(Locale.ROOT, "duplicate %.0f%%", p * 100),
              (net, n) -> net.faults().setDuplicateProbability(p));
        }
        case 3, 4 -> {
          List<Address> side = new ArrayList<>();
          List<Address> other = new ArrayList<>();
          for (Address a : nodes) {
            (random.nextBoolean() ? side : other).add(a);
          }
          if (side.isEmpty() || other.isEmpty()) {
            break;
          }
          boolean oneWay = kind == 4;
          s.add(at, (oneWay ? "one-way block " + side + " -> " : "partition " + side + " | ")
              + other, (net, n) -> {
                if (oneWay) {
                  net.faults().block(side, other);
                } else {
                  net.faults().partition(side, other);
                }
              });
          partitionedSince = partitionedSince < 0 ? at : partitionedSince;
        }
        case 5 -> {
          if (partitionedSince >= 0) {
            long since = partitionedSince;
            s.add(at, "heal partitions", (net, n) -> net.faults().heal());
            s.unsafe.add(new Interval(since, at + REJOIN_MILLIS, "partition"));
            partitionedSince = -1;
          }
        }
        case 6, 7 -> {
          List<Address> candidates = new ArrayList<>();
          for (Address a : nodes) {
            if (!crashed.containsKey(a)) {
              candidates.add(a);
            }
          }
          if (crashed.size() + refilling(disruptions, at) >= MAX_DISRUPTED) {
            break;
          }
          Address victim = candidates.get(random.nextInt(candidates.size()));
          crashed.put(victim, at);
          s.add(at, "crash " + victim, (net, n) -> n.crash(victim));
        }
        default -> {
          if (crashed.isEmpty()) {
            break;
          }
          Address back = new ArrayList<>(crashed.keySet()).get(random.nextInt(crashed.size()));
          disruptions.add(new long[] {crashed.remove(back), at + REFILL_MILLIS});
          s.add(at, "restart " + back, (net, n) -> n.restart(back));
        }
      }
      t += 1_500 + random.nextInt(2_500);
    }
    // The heal: everything off, every crashed node back (empty).
    long healAt = faultMillis;
    for (long since : crashed.values()) {
      disruptions.add(new long[] {since, healAt + REFILL_MILLIS});
    }
    if (partitionedSince >= 0) {
      s.unsafe.add(new Interval(partitionedSince, healAt + REJOIN_MILLIS, "partition"));
    }
    List<Address> back = List.copyOf(crashed.keySet());
    s.add(healAt, "heal: faults off" + (back.isEmpty() ? "" : ", restart " + back), (net, n) -> {
      net.faults().heal().setDropProbability(0).setDuplicateProbability(0)
          .setDelay(Simulation.MIN_DELAY_MILLIS, Simulation.MAX_DELAY_MILLIS);
      back.forEach(n::restart);
    });
    s.addDoubleDisruptions(disruptions);
    return s;
  }

  List<Step> steps() {
    return steps;
  }

  /** Clock offsets to set before the nodes start (empty when the clocks agree). */
  Map<Address, Long> clockOffsets() {
    return clockOffsets;
  }

  boolean clocksAgree() {
    return clockOffsets.isEmpty();
  }

  /** Unsafe intervals, relative to the start of the fault phase. */
  List<Interval> unsafe() {
    return unsafe;
  }

  long faultMillis() {
    return faultMillis;
  }

  /** The schedule, one line per step (and the clock skews), for a failure report. */
  List<String> describe() {
    List<String> out = new ArrayList<>();
    clockOffsets.forEach((a, o) -> out.add("clock of " + a + " off by " + o + " ms"));
    for (Step s : steps) {
      out.add(String.format(Locale.ROOT, "t+%.1fs %s", s.atMillis() / 1000.0, s.what()));
    }
    return out;
  }

  private void add(long at, String what, Action action) {
    steps.add(new Step(at, what, action));
  }

  /** Restarted nodes still refilling at {@code at}. */
  private static int refilling(List<long[]> disruptions, long at) {
    int n = 0;
    for (long[] d : disruptions) {
      if (d[0] <= at && at < d[1]) {
        n++;
      }
    }
    return n;
  }

  /** Marks every time at which two disruptions overlap as unsafe. */
  private void addDoubleDisruptions(List<long[]> disruptions) {
    for (int i = 0; i < disruptions.size(); i++) {
      for (int j = i + 1; j < disruptions.size(); j++) {
        long from = Math.max(disruptions.get(i)[0], disruptions.get(j)[0]);
        long until = Math.min(disruptions.get(i)[1], disruptions.get(j)[1]);
        if (from < until) {
          unsafe.add(new Interval(from, until, "two nodes crashed or refilling"));
        }
      }
    }
  }
}
