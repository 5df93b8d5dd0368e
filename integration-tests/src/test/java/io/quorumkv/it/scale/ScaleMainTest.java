package io.quorumkv.it.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorumkv.it.ToolRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** scale-bench.sh's command line: help and refusals (no run: the runs take minutes). */
class ScaleMainTest {

  @Test
  void helpTeachesBothMeasurementsHowTheyCheckAndTheExitCodes() throws Exception {
    ToolRun.assertHelpMentions(ScaleMain::run, "heap", "rereplication", "--keys", "--repeats",
        "--verify", "--consistency", "--preset", "--node-heap", "--clients", "--base-port", "GC.class_histogram", "marginal",
        "SIGKILL", "storage.keys", "median", "Exit status");
    assertEquals(0, ToolRun.of(ScaleMain::run, "heap", "--help").status());
  }

  @Test
  void badArgumentsExitTwoWithOneLine() throws Exception {
    ToolRun.assertRefused(ScaleMain::run, "scale-bench", new String[] {},
        new String[] {"bench"}, new String[] {"--keys", "10"},
        new String[] {"heap", "--keys", "x"}, new String[] {"heap", "--keys", "1"},
        new String[] {"heap", "--keys", "10,20"}, new String[] {"heap", "--repeats", "3"},
        new String[] {"heap", "--verify"}, new String[] {"rereplication", "--keys", "0"},
        new String[] {"rereplication", "--keys", "10,,20"},
        new String[] {"rereplication", "--keys", "10000001"},
        new String[] {"rereplication", "--repeats", "0"},
        new String[] {"rereplication", "--repeats", "21"},
        new String[] {"rereplication", "--clients", "0"},
        new String[] {"rereplication", "--base-port", "80"},
        new String[] {"rereplication", "--base-port", "65535"},
        new String[] {"heap", "--node-heap", "2x"},
        new String[] {"rereplication", "--consistency", "most"},
        new String[] {"heap", "--preset", "wan"}, new String[] {"heap", "stray"},
        new String[] {"heap", "--kvnode-jar", "/nonexistent/kvnode.jar"});
  }

  @Test
  void keyCountsAreACommaSeparatedList() {
    assertEquals(List.of(10_000L, 100_000L), ScaleMain.keyCounts("10000, 100000", 1));
    assertThrows(IllegalArgumentException.class, () -> ScaleMain.keyCounts("1", 2));
  }
}
