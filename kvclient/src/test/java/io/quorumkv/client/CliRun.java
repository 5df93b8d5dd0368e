package io.quorumkv.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the kvclient CLI in-process, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    return run("", false, args);
  }

  /** A run with {@code stdin} as standard input (not a terminal). */
  static CliRun withStdin(String stdin, String... args) {
    return run(stdin, false, args);
  }

  /** A run as if a person typed {@code stdin} at a terminal. */
  static CliRun interactive(String stdin, String... args) {
    return run(stdin, true, args);
  }

  private static CliRun run(String stdin, boolean interactive, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = ClientMain.run(args,
          new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e, interactive);
    }
    return new CliRun(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
  }
}
