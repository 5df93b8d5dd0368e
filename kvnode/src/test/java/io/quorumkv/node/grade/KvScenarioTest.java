package io.quorumkv.node.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.node.grade.KvGrade.ScenarioGrade;
import io.quorumkv.node.grade.KvScenario.Kind;
import io.quorumkv.node.grade.KvScenario.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed's KV grader on the emulated network: every scenario, with many seeds, must score full
 * marks with the original arithmetic; a failure prints the report, what the driver saw and the
 * coordinators' answers, and the command that replays the seed.
 *
 * <p>{@code -Dqkv.seeds=N} runs seeds 1..N instead of the default 20; {@code -Dqkv.seed=S} one.
 */
class KvScenarioTest {

  private static final int DEFAULT_SEEDS = 20;

  static Stream<Arguments> runs() {
    String one = System.getProperty("qkv.seed");
    LongStream seeds = one != null && !one.isBlank() ? LongStream.of(Long.parseLong(one.trim()))
        : LongStream.rangeClosed(1, Integer.getInteger("qkv.seeds", DEFAULT_SEEDS));
    List<Arguments> out = new ArrayList<>();
    for (long seed : seeds.toArray()) {
      for (Kind kind : Kind.values()) {
        out.add(Arguments.of(kind, seed));
      }
    }
    return out.stream();
  }

  static Result run(Kind kind, long seed) {
    EmulatedTestbed bed = new EmulatedTestbed(seed);
    return KvScenario.run(kind, seed, bed, KvScenario.TOTAL_TICKS);
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("runs")
  void scoresFullMarks(Kind kind, long seed) {
    Result result = run(kind, seed);
    ScenarioGrade grade = KvGrade.grade(result);
    assertTrue(grade.isFullMarks(), () -> kind + " seed " + seed + " scored " + grade.points()
        + " / " + grade.maxPoints() + "; replay: scripts/grade.sh --emulated --scenario "
        + kind.scenarioName() + " --seed " + seed + "\n"
        + String.join("\n", grade.lines()) + "\ndriver: " + String.join("\n  ", result.notes())
        + "\nanswers to test operations:\n  "
        + String.join("\n  ", result.answers().stream().filter(a -> !a.contains(" create "))
            .toList()));
  }

  @Test
  void theSameSeedGivesTheSameLogAndAnotherSeedAnother() {
    List<String> first = run(Kind.READ, 7).log().records();
    assertEquals(first, run(Kind.READ, 7).log().records());
    assertTrue(!first.equals(run(Kind.READ, 8).log().records()));
  }

  @Test
  void theReadRunKillsThreeReplicasThenANonReplicaAndLogsSixReads() {
    Result result = run(Kind.READ, 3);
    List<String> crashes = result.notes().stream().filter(n -> n.contains("crash")).toList();
    assertEquals(4, crashes.size(), String.join("\n", result.notes()));
    List<Long> readTicks = result.operations().stream()
        .filter(o -> o.op() == io.quorumkv.common.wire.KvOp.READ).map(SeedLog.Operation::tick)
        .toList();
    assertEquals(List.of(150L, 175L, 225L, 275L, 285L, 285L), readTicks);
    assertEquals(KvScenario.KEYS, result.operations().size() - readTicks.size());
  }
}
