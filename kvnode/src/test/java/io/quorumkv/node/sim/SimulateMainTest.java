package io.quorumkv.node.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** simulate.sh's command line: help, bad arguments, and a seed run end to end. */
class SimulateMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return SimulateMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpTeachesTheOptions() {
    assertEquals(0, run("--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--seeds N") && help.contains("--seed S")
        && help.contains("replays"), help);
  }

  @Test
  void badArgumentsExitTwoWithOneLine() {
    for (String[] args : new String[][] {{"--seeds", "x"}, {"--seeds", "0"}, {"--seed"},
        {"--frobnicate"}}) {
      err.reset();
      assertEquals(2, run(args), String.join(" ", args));
      String text = err.toString(StandardCharsets.UTF_8);
      assertTrue(text.startsWith("simulate: ") && text.strip().lines().count() == 1, text);
    }
  }

  @Test
  void aSeedRunsAndSaysSo() {
    assertEquals(0, run("--seeds", "1", "--seed", "3"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("seed 3 ok: ") && text.contains("0 of 1 seed(s) failed"), text);
  }
}
