package io.quorumkv.it.chaos;

import io.quorumkv.it.ToolRun;
import org.junit.jupiter.api.Test;

/** chaos.sh's command line: help and refusals of bad arguments (no run: ChaosTest runs one). */
class ChaosMainTest {

  @Test
  void helpTeachesTheFaultsTheChecksAndTheExitCodes() throws Exception {
    ToolRun.assertHelpMentions(ChaosMain::run, "--duration", "--seed", "SIGKILL", "SIGSTOP",
        "SIGCONT", "no-lost-write", "quorum-read-sees-quorum-write", "history.txt",
        "Exit status");
  }

  @Test
  void badArgumentsExitTwoWithOneLine() throws Exception {
    ToolRun.assertRefused(ChaosMain::run, "chaos", new String[] {"--duration", "x"},
        new String[] {"--duration", "4"}, new String[] {"--duration", "3601"},
        new String[] {"--seed", "1.5"}, new String[] {"--frobnicate"}, new String[] {"stray"},
        new String[] {"--kvnode-jar", "/nonexistent/kvnode.jar"});
  }
}
