package io.quorumkv.it.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.it.ToolRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** grade.sh's command line: help, refusals of bad arguments, and an emulated run end to end. */
class GradeMainTest {

  @TempDir
  Path runDir;

  private static ToolRun grade(String... args) throws Exception {
    return ToolRun.of(GradeMain::run, args);
  }

  @Test
  void helpTeachesTheModesScenariosAndExitCodes() throws Exception {
    ToolRun.assertHelpMentions(GradeMain::run, "--emulated", "--real", "--seed", "--scenario",
        "--ticks", "single", "update", "dbg.log", "Exit status");
  }

  @Test
  void badArgumentsExitTwoWithOneLine() throws Exception {
    ToolRun.assertRefused(GradeMain::run, "grade", new String[] {"--scenario", "nonsense"},
        new String[] {"--seed", "x"}, new String[] {"--ticks", "299"},
        new String[] {"--ticks", "701"}, new String[] {"--frobnicate"}, new String[] {"stray"},
        new String[] {"--real", "--kvnode-jar", "/nonexistent/kvnode.jar"});
  }

  @Test
  void anEmulatedScenarioPrintsTheOriginalsLinesAndWritesItsDbgLog() throws Exception {
    ToolRun o = grade("--emulated", "--scenario", "delete", "--seed", "3", "--run-dir",
        runDir.toString());
    assertEquals(0, o.status(), o.out() + o.err());
    assertTrue(o.out().contains("TEST 2 SCORE..................: 4 / 4"), o.out());
    assertTrue(o.out().strip().endsWith("TOTAL GRADE: 7 / 7"), o.out());
    Path log = runDir.resolve("emulated").resolve("delete").resolve("dbg.log");
    assertEquals("131", Files.readAllLines(log).get(0));
    assertEquals(51, Files.readAllLines(log).stream()
        .filter(l -> l.contains("DELETE OPERATION")).count());
  }
}
