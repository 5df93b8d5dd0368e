package io.quorumkv.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Signals to processes this harness started, by their PID, through kill(1): Java's Process
 * offers SIGTERM and SIGKILL only, and the chaos run also pauses (SIGSTOP) and resumes (SIGCONT).
 */
final class ProcessSignals {

  private ProcessSignals() {
  }

  /** Sends signal {@code name} ("STOP", "CONT") to {@code pid}; {@code what} names it in errors. */
  static void send(long pid, String name, String what) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS)) {
      kill.destroyForcibly();
      throw new IllegalStateException("kill -" + name + " of " + what + " did not return");
    }
    if (kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " of " + what + " failed: "
          + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }
  }
}
