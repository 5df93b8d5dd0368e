package io.quorumkv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of a tool's command line inside the test's JVM: its exit status, stdout and stderr. */
public record ToolRun(int status, String out, String err) {

  /** A command line's entry point, as GradeMain and ChaosMain have it. */
  public interface Tool {
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
  }

  /** Runs {@code tool} with {@code args}, capturing what it prints. */
  public static ToolRun of(Tool tool, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = tool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new ToolRun(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** {@code --help} exits 0 and its text mentions every one of {@code words}. */
  public static void assertHelpMentions(Tool tool, String... words) throws Exception {
    ToolRun o = of(tool, "--help");
    assertEquals(0, o.status());
    for (String word : words) {
      assertTrue(o.out().contains(word), "help mentions " + word + ":\n" + o.out());
    }
  }

  /** Each of {@code bad} exits 2 with one line on stderr, starting with "NAME: ". */
  public static void assertRefused(Tool tool, String name, String[]... bad) throws Exception {
    for (String[] args : bad) {
      ToolRun o = of(tool, args);
      assertEquals(2, o.status(), String.join(" ", args));
      assertEquals(1, o.err().strip().lines().count(), o.err());
      assertTrue(o.err().startsWith(name + ": "), o.err());
    }
  }
}
