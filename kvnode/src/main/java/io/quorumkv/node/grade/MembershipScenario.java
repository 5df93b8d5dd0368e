package io.quorumkv.node.grade;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.emul.EmulatedNetwork;
import io.quorumkv.node.emul.TimedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The seed grader's three membership scenarios (SEED-GRADER.md section 5) on the emulated
 * network: 10 nodes on 127.0.0.1:7001..7010, 1 tick = 100 ms of simulated time, node i started at
 * tick floor(0.25 i), everyone joining through the first three nodes (the original had a single
 * introducer), run through tick 699. At tick 100 one node (SINGLE, DROP_SINGLE) or five
 * consecutive nodes (MULTI) crash for good; DROP_SINGLE also loses 10% of the datagrams sent
 * during ticks 51..300. The seed picks the victims and drives every random choice, so a run
 * replays exactly. {@link MembershipGrade} scores the result with the original arithmetic.
 */
public final class MembershipScenario {

  /** The three graded scenarios. */
  public enum Kind {
    /** One node, chosen uniformly from all ten, crashes at tick 100. */
    SINGLE("Single Failure Scenario"),
    /** Five consecutive nodes, starting at index (rand % 10) / 2, crash at tick 100. */
    MULTI("Multi Failure Scenario"),
    /** As SINGLE, with 10% message loss for datagrams sent during ticks 51..300. */
    DROP_SINGLE("Message Drop Single Failure Scenario");

    private final String title;

    Kind(String title) {
      this.title = title;
    }

    /** The scenario's heading as the original grader prints it. */
    public String title() {
      return title;
    }
  }

  /** Nodes in the cluster (EN_GPSZ in the original). */
  public static final int NODES = 10;
  /** Simulated milliseconds per grader tick. */
  public static final long TICK_MILLIS = 100;
  /** Ticks in a run: 0..699. */
  public static final int TOTAL_TICKS = 700;
  /** Tick at which the victims crash. */
  public static final int FAIL_TICK = 100;
  /** Victims in the MULTI scenario. */
  public static final int MULTI_FAILURES = 5;
  /** Nodes everyone joins through: the first ones started. */
  public static final int SEED_NODES = 3;
  /** First and last tick whose sent datagrams may be lost in DROP_SINGLE. */
  public static final int DROP_FIRST_TICK = 51;
  public static final int DROP_LAST_TICK = 300;
  /** Loss probability in DROP_SINGLE (MSG_DROP_PROB). */
  public static final double DROP_PROBABILITY = 0.10;
  /** Delivery delay range: small against a tick, random so that datagrams reorder. */
  public static final long MIN_DELAY_MILLIS = 1;
  public static final long MAX_DELAY_MILLIS = 5;

  /**
   * What a run produced: who was crashed when, and every membership event with its time.
   *
   * @param failed the crashed nodes, in address order
   * @param networkStats the network's counters at the end (datagrams sent, lost, ...)
   * @param traceSummary the network trace's line count and hash, to compare runs
   */
  public record Result(Kind kind, long seed, List<Address> nodes, List<Address> failed,
      int failTick, List<TimedEvent> events, Map<String, Long> networkStats,
      String traceSummary) {

    public Result {
      Objects.requireNonNull(kind, "kind");
      nodes = List.copyOf(nodes);
      failed = List.copyOf(failed);
      events = List.copyOf(events);
      networkStats = Map.copyOf(networkStats);
    }
  }

  private MembershipScenario() {
  }

  /** The ten node addresses, 127.0.0.1:7001..7010, in index order. */
  public static List<Address> addresses() {
    List<Address> out = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      out.add(new Address("127.0.0.1", 7001 + i));
    }
    return List.copyOf(out);
  }

  /** Runs {@code kind} with {@code seed} and the local preset, as the grader does. */
  public static Result run(Kind kind, long seed) {
    return run(kind, seed, NodeConfig.local());
  }

  /** Runs {@code kind} with {@code seed} and the given node configuration. */
  public static Result run(Kind kind, long seed, NodeConfig config) {
    EmulatedNetwork net = new EmulatedNetwork(seed, config);
    // Derived before any node exists, so the victims depend on the seed alone (failedNodes).
    RandomGenerator choices = net.newRandom();
    List<Address> nodes = addresses();
    List<Address> seeds = nodes.subList(0, SEED_NODES);
    net.faults().setDelay(MIN_DELAY_MILLIS, MAX_DELAY_MILLIS);

    for (int i = 0; i < NODES; i++) {
      Address self = nodes.get(i);
      long startTick = i / 4; // floor(0.25 * i), the original STEP_RATE
      net.at(startTick * TICK_MILLIS, () -> net.addNode(self, seeds));
    }

    List<Address> failed = victims(kind, nodes, choices);
    net.at(FAIL_TICK * TICK_MILLIS, () -> failed.forEach(net::crash));

    if (kind == Kind.DROP_SINGLE) {
      net.at(DROP_FIRST_TICK * TICK_MILLIS,
          () -> net.faults().setDropProbability(DROP_PROBABILITY));
      net.at((DROP_LAST_TICK + 1) * TICK_MILLIS, () -> net.faults().setDropProbability(0.0));
    }

    net.runUntil(TOTAL_TICKS * TICK_MILLIS - 1);
    return new Result(kind, seed, nodes, failed, FAIL_TICK, net.events(), net.stats(),
        net.trace().summary());
  }

  /**
   * The nodes a run of {@code kind} with {@code seed} crashes, without running it: the victims
   * come from the first random the run's network derives, before any node exists.
   */
  public static List<Address> failedNodes(Kind kind, long seed) {
    return victims(kind, addresses(), new EmulatedNetwork(seed, NodeConfig.local()).newRandom());
  }

  /** The nodes {@code kind} crashes, chosen as the original's fail() does, in address order. */
  private static List<Address> victims(Kind kind, List<Address> nodes, RandomGenerator choices) {
    if (kind == Kind.MULTI) {
      int first = choices.nextInt(NODES) / 2; // rand() % 10 / 2: 0..4
      return List.copyOf(nodes.subList(first, first + MULTI_FAILURES));
    }
    return List.of(nodes.get(choices.nextInt(NODES)));
  }
}
