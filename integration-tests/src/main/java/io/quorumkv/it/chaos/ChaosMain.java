package io.quorumkv.it.chaos;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import io.quorumkv.it.ToolArgs;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code scripts/chaos.sh [--duration S] [--seed N]}: one chaos run on real kvnode processes
 * ({@link ChaosRun}), with progress lines, a summary, and either "no violations" or a report of
 * each violation with the command that reruns it. Exit code 0 without violations, 1 with
 * violations or when the run could not complete, 2 for bad arguments.
 */
public final class ChaosMain {

  static final String USAGE = """
      Usage: chaos.sh [--duration S] [--seed N] [--memory] [--kvnode-jar P] [--run-dir D]

      Runs QuorumKV under faults on real processes, in the manner of Jepsen: starts 5 kvnode
      processes on loopback ports (local preset, each with a data directory), and while 4
      client threads run random create, read, update, delete and put operations on 5 keys at
      consistency one, quorum or all, a nemesis kills nodes (SIGKILL), restarts them (with their
      records), pauses them (SIGSTOP) and resumes them (SIGCONT), never more than 2 at once,
      and now and then crashes all 5 at once and restarts them. A node counts as
      disrupted from its kill or pause until the cluster has settled after it came back
      (every node sees 5 alive, nobody suspect, no stabilization for 3 s). Then every node comes
      back, the cluster settles, each key is read at ALL, and the recorded history is checked:

        no-phantom-read                a read returns only what some write wrote
        no-lost-write                  each key's final value is its newest acknowledged write
                                       or a later one; a delete stays deleted
        quorum-read-sees-quorum-write  a quorum read begun after a quorum write completed sees
                                       it or newer (not claimed while 2 nodes are disrupted)

        --duration S     seconds of faults (default 60, 5 to 3600); with start, heal and
                         checks the run takes about 20 s more
        --memory         nodes keep their records in memory: a restarted node comes back
                         empty, and the whole cluster is never crashed at once
        --seed N         fixes the nemesis' choices and the clients' operations (default: a
                         random one, printed); the timing of real processes still differs
                         between runs, so a failure may need a few reruns to show again
        --kvnode-jar P   the node's jar (default: the repository's kvnode/target/kvnode.jar)
        --run-dir D      where the node logs and history.txt go (default: the repository's
                         run/chaos); each run starts with fresh logs
        -h, --help       this text

      Prints one line per nemesis action, a progress line every 5 s (operations per second,
      outcomes: ok, fail = definitely not applied, unknown = no answer in time), and a summary.
      A violation is printed with the operations on its key around it (the offending ones
      marked *), the nemesis' actions and unsafe intervals of that time, the seed, and the
      command that reruns it. history.txt in the run directory holds every operation.

      Exit status: 0 without violations, 1 with violations or when the run could not complete
      (the cluster did not form or settle, a final read failed), 2 for bad arguments.
      """;

  static final long MIN_SECONDS = 5;
  static final long MAX_SECONDS = 3_600;

  private ChaosMain() {
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    ToolArgs parsed = ToolArgs.parse("chaos", USAGE, options(), args, out, err);
    if (!parsed.parsed()) {
      return parsed.exitStatus();
    }
    CommandLine line = parsed.line();
    long seconds;
    long seed;
    try {
      seconds = Long.parseLong(line.getOptionValue("duration", "60"));
      seed = line.hasOption("seed") ? Long.parseLong(line.getOptionValue("seed"))
          : new SecureRandom().nextLong() >>> 16;
    } catch (NumberFormatException e) {
      err.println("chaos: --duration and --seed take integers (see --help)");
      return ToolArgs.USAGE_ERROR;
    }
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
      err.println("chaos: --duration must be from " + MIN_SECONDS + " to " + MAX_SECONDS
          + " seconds");
      return ToolArgs.USAGE_ERROR;
    }
    // scripts/chaos.sh names the repository's jar and run directory in system properties.
    Path jar = parsed.kvnodeJar();
    Path runDir = parsed.runDir("run/chaos").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      err.println("chaos: kvnode jar not found at " + jar + " (build with mvn -B package)");
      return ToolArgs.USAGE_ERROR;
    }
    String rerun = "scripts/chaos.sh --duration " + seconds + " --seed " + seed
        + (line.hasOption("memory") ? " --memory" : "");
    out.println("chaos: seed " + seed + ", " + seconds + " s of faults on "
        + ChaosRun.NODES + " nodes, " + ChaosRun.CLIENTS + " clients, " + ChaosRun.KEYS
        + " keys; logs in " + runDir);
    ChaosResult result;
    try {
      result = ChaosRun.run(new ChaosRun.Options(seconds * 1000, seed, jar, runDir,
          !line.hasOption("memory")), out);
    } catch (IllegalStateException e) {
      err.println("chaos: the run could not complete: " + e.getMessage());
      err.println("chaos: seed " + seed + "; rerun: " + rerun);
      return 1;
    }
    result.summary().forEach(out::println);
    if (result.ok()) {
      out.println("no violations (seed " + seed + ")");
      return 0;
    }
    out.println(result.violations().size() + " violation(s), " + result.problems().size()
        + " problem(s):");
    result.report(rerun).forEach(out::println);
    return 1;
  }

  private static Options options() {
    Options o = new Options();
    o.addOption(Option.builder().longOpt("duration").hasArg().build());
    o.addOption(Option.builder().longOpt("seed").hasArg().build());
    o.addOption(Option.builder().longOpt("memory").build());
    return ToolArgs.withPaths(o);
  }
}
