package io.quorumkv.node.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.NodeEvent.MembershipChange;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.EmulatedNetwork;
import io.quorumkv.node.emul.TimedEvent;
import io.quorumkv.node.grade.MembershipGrade.ScenarioGrade;
import io.quorumkv.node.grade.MembershipScenario.Kind;
import io.quorumkv.node.grade.MembershipScenario.Result;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed grader's membership scenarios, scored with the original arithmetic, over many seeds,
 * plus two scenarios the original never ran: a partition that heals and a crash followed by a
 * restart; the remaining tests check the scenario runner itself.
 *
 * <p>Replay one seed with {@code mvn -o -pl kvnode -am test -Dtest=MembershipScenarioTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dqkv.seed=S}; {@code -Dqkv.seeds=N} runs seeds 1..N
 * instead of the default 20.
 */
class MembershipScenarioTest {

  private static final int DEFAULT_SEEDS = 20;
  private static final String REPLAY = "mvn -o -pl kvnode -am test -Dtest=MembershipScenarioTest"
      + " -Dsurefire.failIfNoSpecifiedTests=false -Dqkv.seed=";

  static LongStream seeds() {
    String one = System.getProperty("qkv.seed");
    if (one != null && !one.isBlank()) {
      return LongStream.of(Long.parseLong(one.trim()));
    }
    int count = Integer.getInteger("qkv.seeds", DEFAULT_SEEDS);
    return LongStream.rangeClosed(1, count);
  }

  private static String replay(long seed, Kind kind, ScenarioGrade grade, Result result) {
    return kind + " seed=" + seed + " scored " + grade.points() + "/" + grade.maxPoints()
        + "; replay: " + REPLAY + seed
        + "\n" + String.join("\n", grade.lines()) + "\nfailed=" + result.failed()
        + " net=" + result.networkStats() + " trace " + result.traceSummary();
  }

  private static void assertFullMarks(Kind kind, long seed) {
    Result result = MembershipScenario.run(kind, seed);
    ScenarioGrade grade = MembershipGrade.grade(result);
    assertTrue(grade.isFullMarks(), replay(seed, kind, grade, result));
    if (kind == Kind.DROP_SINGLE) {
      assertEquals(List.of(), grade.falseRemovals(), replay(seed, kind, grade, result));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void singleFailureScoresFullMarks(long seed) {
    assertFullMarks(Kind.SINGLE, seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void multiFailureScoresFullMarks(long seed) {
    assertFullMarks(Kind.MULTI, seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void messageDropSingleFailureScoresFullMarksWithoutFalseRemovals(long seed) {
    assertFullMarks(Kind.DROP_SINGLE, seed);
  }

  @Test
  void victimsFollowTheOriginalRulesAndTheSeed() {
    // Goal: SINGLE crashes one node, MULTI five consecutive ones starting at index 0..4, the
    // choice depends on the seed alone, and different seeds pick different victims.
    List<Address> nodes = MembershipScenario.addresses();
    Set<Address> singles = new TreeSet<>();
    Set<Integer> multiStarts = new TreeSet<>();
    for (long seed = 1; seed <= 40; seed++) {
      List<Address> single = MembershipScenario.failedNodes(Kind.SINGLE, seed);
      assertEquals(1, single.size());
      assertEquals(single, MembershipScenario.failedNodes(Kind.DROP_SINGLE, seed));
      singles.add(single.get(0));
      List<Address> multi = MembershipScenario.failedNodes(Kind.MULTI, seed);
      int start = nodes.indexOf(multi.get(0));
      assertTrue(start >= 0 && start <= 4, "start " + start);
      assertEquals(nodes.subList(start, start + 5), multi);
      multiStarts.add(start);
    }
    assertTrue(singles.size() >= 5, "victims should vary with the seed: " + singles);
    assertTrue(multiStarts.size() >= 3, "starts should vary with the seed: " + multiStarts);

    // A run crashes exactly those nodes, and they are not live at the end.
    Result multi = MembershipScenario.run(Kind.MULTI, 9);
    assertEquals(MembershipScenario.failedNodes(Kind.MULTI, 9), multi.failed());
    assertEquals(5L, multi.networkStats().get("node.crashed"));
  }

  @Test
  void dropWindowLosesOnlyInDropSingle() {
    // Goal: only DROP_SINGLE turns loss on; the runs are replayable (same trace for the same seed).
    Result drop = MembershipScenario.run(Kind.DROP_SINGLE, 3);
    Result again = MembershipScenario.run(Kind.DROP_SINGLE, 3);
    assertEquals(drop.traceSummary(), again.traceSummary());
    assertEquals(drop.events(), again.events());
    Result single = MembershipScenario.run(Kind.SINGLE, 3);
    assertEquals(0L, single.networkStats().getOrDefault("net.dropped.loss", 0L));
  }

  // ---- beyond the original: partition and heal, crash and restart (need SWIM) ----

  private static final NodeConfig CONFIG = NodeConfig.local();
  private static final List<Address> FIVE = MembershipScenario.addresses().subList(0, 5);

  private static EmulatedNetwork fiveNodes(long seed) {
    EmulatedNetwork net = new EmulatedNetwork(seed, CONFIG);
    net.faults().setDelay(1, 5);
    for (Address a : FIVE) {
      net.addNode(a, FIVE.subList(0, 3));
    }
    return net;
  }

  /** The state {@code observer} gives each member, by address. */
  private static Map<Address, MemberStatus> view(EmulatedNetwork net, Address observer) {
    Node node = net.node(observer).orElseThrow();
    return node.members(net.now()).stream()
        .collect(Collectors.toMap(MemberStatus::address, m -> m));
  }

  /** True when every live node in {@code observers} sees every address in {@code subjects} as p. */
  private static boolean allSee(EmulatedNetwork net, List<Address> observers,
      List<Address> subjects, Predicate<MemberStatus> p) {
    for (Address observer : observers) {
      Map<Address, MemberStatus> view = view(net, observer);
      for (Address subject : subjects) {
        MemberStatus status = view.get(subject);
        if (!p.test(status)) {
          return false;
        }
      }
    }
    return true;
  }

  private static final Predicate<MemberStatus> ALIVE =
      m -> m != null && m.state() == MemberState.ALIVE;
  private static final Predicate<MemberStatus> OUT =
      m -> m == null || !m.state().isInCluster();

  private static long detectionBound() {
    return CONFIG.detectionBoundMillis(FIVE.size());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void partitionThenHealReconverges(long seed) {
    // Goal: a partition {1,2} | {3,4,5} lasts until each side declares the other dead; after
    // heal() every node sees all five alive again within bounded simulated time.
    EmulatedNetwork net = fiveNodes(seed);
    String replay = " (seed=" + seed + "; replay: " + REPLAY + seed + ")";
    assertTrue(net.runUntil(() -> allSee(net, FIVE, FIVE, ALIVE), 10_000, 100),
        "initial convergence" + replay);

    List<Address> left = FIVE.subList(0, 2);
    List<Address> right = FIVE.subList(2, 5);
    net.faults().partition(left, right);
    long deadline = net.now() + 3 * detectionBound();
    assertTrue(net.runUntil(() -> allSee(net, left, right, OUT) && allSee(net, right, left, OUT),
        deadline, 100), "each side should declare the other dead" + replay);

    net.faults().heal();
    long healBound = net.now() + 3 * CONFIG.reconnectIntervalMillis()
        + 2 * CONFIG.syncIntervalMillis() + detectionBound();
    assertTrue(net.runUntil(() -> allSee(net, FIVE, FIVE, ALIVE), healBound, 100),
        "after heal all five should be alive everywhere by t=" + healBound + replay);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void crashThenRestartIsSeenAsANewGeneration(long seed) {
    // Goal: a node that crashes and comes back with a new generation is seen alive by everyone,
    // and every survivor logs that it joined, for the new generation.
    EmulatedNetwork net = fiveNodes(seed);
    String replay = " (seed=" + seed + "; replay: " + REPLAY + seed + ")";
    assertTrue(net.runUntil(() -> allSee(net, FIVE, FIVE, ALIVE), 10_000, 100),
        "initial convergence" + replay);

    Address victim = FIVE.get(3);
    List<Address> survivors = FIVE.stream().filter(a -> !a.equals(victim)).toList();
    net.crash(victim);
    assertTrue(net.runUntil(() -> allSee(net, survivors, List.of(victim), OUT),
        net.now() + 2 * detectionBound(), 100), "survivors should remove the victim" + replay);

    long restartedAt = net.now();
    Node back = net.restart(victim);
    assertEquals(2, back.generation());
    Predicate<MemberStatus> newLife = m -> ALIVE.test(m) && m.generation() == 2;
    assertTrue(net.runUntil(() -> allSee(net, FIVE, List.of(victim), newLife),
        net.now() + detectionBound(), 100), "all should see generation 2 alive" + replay);

    for (Address survivor : survivors) {
      boolean joined = net.events().stream()
          .filter(e -> e.timeMillis() >= restartedAt)
          .map(TimedEvent::event)
          .anyMatch(e -> e instanceof NodeEvent.Membership m && m.observer().equals(survivor)
              && m.change() == MembershipChange.JOINED && m.subject().equals(victim)
              && m.generation() == 2);
      assertTrue(joined, survivor + " should log JOINED for " + victim + " g2" + replay);
    }
  }
}
