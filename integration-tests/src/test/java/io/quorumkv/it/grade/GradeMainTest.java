package io.quorumkv.it.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** grade.sh's command line: help, refusals of bad arguments, and an emulated run end to end. */
class GradeMainTest {

  @TempDir
  Path runDir;

  private record Outcome(int status, String out, String err) {
  }

  private static Outcome grade(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = GradeMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpTeachesTheModesScenariosAndExitCodes() throws Exception {
    Outcome o = grade("--help");
    assertEquals(0, o.status());
    for (String word : new String[] {"--emulated", "--real", "--seed", "--scenario", "--ticks",
        "single", "update", "dbg.log", "Exit status"}) {
      assertTrue(o.out().contains(word), "help mentions " + word + ":\n" + o.out());
    }
  }

  @Test
  void badArgumentsExitTwoWithOneLine() throws Exception {
    String[][] bad = {{"--scenario", "nonsense"}, {"--seed", "x"}, {"--ticks", "299"},
        {"--ticks", "701"}, {"--frobnicate"}, {"stray"},
        {"--real", "--kvnode-jar", "/nonexistent/kvnode.jar"}};
    for (String[] args : bad) {
      Outcome o = grade(args);
      assertEquals(2, o.status(), String.join(" ", args));
      assertEquals(1, o.err().strip().lines().count(), o.err());
      assertTrue(o.err().startsWith("grade: "), o.err());
    }
  }

  @Test
  void anEmulatedScenarioPrintsTheOriginalsLinesAndWritesItsDbgLog() throws Exception {
    Outcome o = grade("--emulated", "--scenario", "delete", "--seed", "3", "--run-dir",
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
