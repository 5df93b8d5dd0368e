package io.quorumkv.it.failover;

import io.quorumkv.it.ToolArgs;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code scripts/failover-bench.sh}: how fast a local cluster notices a dead or a paused node,
 * and how often it wrongly suspects a live one ({@link FailoverBench}). Exit status 0 when every
 * run completed and the goals were met, 3 when they completed but a goal was missed, 1 when a
 * run could not complete, 2 for bad arguments.
 */
public final class FailoverMain {

  static final String USAGE = """
      Usage: failover-bench.sh [--kills N] [--stops N] [--soak S] [--rate R] [--no-load]
                               [--nodes N] [--base-port P] [--memory] [--timeout MS]
                               [--goal MS] [--kvclient P] [--kvnode-jar P] [--run-dir D]

      Measures failure detection on a local cluster: starts N kvnode processes (default 10) on
      127.0.0.1 ports P+1..P+N (default 7101-7110), local preset, each with a data directory
      and an event log, and waits until they have formed one cluster. Then, in turn:

        kills   SIGKILL one node (nodes 1, 2, ... in turn); measured: from the moment right
                before the signal until every survivor's event log says "removed" for it (the
                latest of those times). Then the node is restarted and the cluster settles.
        stops   the same with SIGSTOP: the process is paused, not dead. Once every survivor
                removed it, SIGCONT resumes it; it refutes its death and rejoins, and the
                cluster settles before the next run.
        soak    S seconds in which nothing is killed or paused, under kvclient bench load
                against every node: --mix put:50,read:50 --keys 10000 --value-size 100
                --in-flight 8 --rate R --duration S. Every suspicion and removal logged
                meanwhile is false; they are counted (distinct suspicions, and removal lines:
                one per observer that dropped a live node).

      "Settled" means every node sees all N alive and nobody suspect, and no stabilization
      counter moved for 3 s. Suspicions and removals of other nodes during a kill or stop run
      (of the victim too, after it came back) are reported as "other" on its line.

        --kills N       SIGKILL runs (default 10; 0 to skip)
        --stops N       SIGSTOP runs (default 10; 0 to skip)
        --soak S        seconds of soak (default 600; 0 to skip); it ends by itself
        --rate R        the soak's bench rate, operations per second (default 2000)
        --no-load       soak without load (the bench is not run)
        --nodes N       cluster size (default 10, 3 to 50)
        --base-port P   node i listens on UDP port P+i (default 7100); every port must be free
        --memory        nodes keep their records in memory instead of a data directory
        --timeout MS    how long one run waits for every survivor to remove its victim before
                        it counts as a failure (default 30000)
        --goal MS       the goal for both detection medians (default 1000)
        --kvclient P    the kvclient launcher for the soak's load (default: the repository's
                        scripts/kvclient)
        --kvnode-jar P  the node's jar (default: the repository's kvnode/target/kvnode.jar)
        --run-dir D     where node logs, event logs, bench.json and bench.log go (default: the
                        repository's run/failover); each run starts with fresh logs
        -h, --help      this text

      Prints one line per run (first suspicion, first removal, removal by every survivor),
      progress every 30 s of the soak, and a summary: median, 90th percentile (nearest rank)
      and maximum of each detection time over the runs, and the soak's false suspicions and
      removals, with the nodes' own counters (swim.suspected: probes that failed into a
      suspicion) as a cross-check, and the machine's load average meanwhile. With the
      defaults it takes about 20 minutes on 2 cores. It kills every process it started when it
      ends, fails or is interrupted (Ctrl-C).

      Goals: both medians at most --goal, and no false removal in the soak.
      Exit status: 0 every run completed and the goals were met; 3 every run completed but a
      goal was missed; 1 a run could not complete (the cluster did not form or settle, a victim
      was not removed in time, the bench failed); 2 bad arguments.
      """;

  static final int GOAL_MISSED = 3;

  private FailoverMain() {
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** The parsed and checked settings, or a refusal (one line on standard error, exit 2). */
  record Settings(FailoverBench.Options options, long goalMillis) {
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    ToolArgs parsed = ToolArgs.parse("failover-bench", USAGE, options(), args, out, err);
    if (!parsed.parsed()) {
      return parsed.exitStatus();
    }
    Settings settings;
    try {
      settings = settings(parsed);
    } catch (IllegalArgumentException e) {
      err.println("failover-bench: " + e.getMessage() + " (see --help)");
      return ToolArgs.USAGE_ERROR;
    }
    FailoverBench.Options o = settings.options();
    if (!Files.isRegularFile(o.kvnodeJar())) {
      err.println("failover-bench: kvnode jar not found at " + o.kvnodeJar()
          + " (build with mvn -B package)");
      return ToolArgs.USAGE_ERROR;
    }
    out.println("failover-bench: " + o.ports().size() + " nodes, " + o.kills() + " kills, "
        + o.stops() + " stops, " + o.soakSeconds() + " s soak"
        + (o.kvclient() == null ? " without load" : " at " + o.rate() + " ops/s")
        + "; logs in " + o.runDir());
    FailoverBench.Result result;
    try {
      result = FailoverBench.run(o, out);
    } catch (IllegalStateException e) {
      err.println("failover-bench: the run could not complete: " + e.getMessage());
      return 1;
    }
    List<String> summary = summary(result, o, settings.goalMillis());
    summary.forEach(out::println);
    if (!result.problems().isEmpty()) {
      result.problems().forEach(p -> err.println("failover-bench: " + p));
      return 1;
    }
    return goalsMet(result, settings.goalMillis()) ? 0 : GOAL_MISSED;
  }

  /** The closing summary, a few lines, ready to be pasted into the README's figures. */
  static List<String> summary(FailoverBench.Result r, FailoverBench.Options o, long goalMillis) {
    List<String> lines = new ArrayList<>();
    lines.add("summary (" + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
        + " cores, " + o.ports().size() + " nodes, local preset):");
    if (!r.kills().isEmpty()) {
      lines.addAll(detectionLines("SIGKILL", r.kills()));
    }
    if (!r.stops().isEmpty()) {
      lines.addAll(detectionLines("SIGSTOP", r.stops()));
    }
    if (r.soak() != null) {
      FailoverBench.Soak s = r.soak();
      lines.add("  soak " + s.seconds() + " s" + (o.kvclient() == null ? " without load"
          : " under bench load at " + o.rate() + " ops/s") + ": " + s.alarms().suspicions()
          + " false suspicions (" + s.alarms().suspicionLines() + " lines), "
          + s.alarms().removals() + " false removals (of " + s.alarms().removedMembers()
          + " live members)");
      StringBuilder counters = new StringBuilder("    counters over the soak, all nodes:");
      for (Map.Entry<String, Long> c : s.counterDeltas().entrySet()) {
        counters.append(' ').append(c.getKey()).append(' ').append(c.getValue());
      }
      lines.add(counters.toString());
      if (!s.benchSummary().isEmpty()) {
        lines.add("    bench: " + BenchLoad.describe(s.benchSummary()));
      }
    }
    lines.add("  machine load during the bench (1-minute load average): " + r.machineLoad());
    if (r.problems().isEmpty()) {
      lines.add("goals (medians at most " + goalMillis + " ms, no false removal): "
          + (goalsMet(r, goalMillis) ? "met" : "MISSED"));
    }
    return lines;
  }

  private static List<String> detectionLines(String signal, List<Detection> runs) {
    List<Long> all = new ArrayList<>();
    List<Long> first = new ArrayList<>();
    List<Long> suspected = new ArrayList<>();
    int other = 0;
    for (Detection d : runs) {
      if (d.complete()) {
        all.add(d.allRemovedMillis());
        first.add(d.firstRemovedMillis());
      }
      if (d.firstSuspectedMillis() >= 0) {
        suspected.add(d.firstSuspectedMillis());
      }
      other += d.collateral().suspicions() + d.collateral().removals();
    }
    List<String> lines = new ArrayList<>();
    lines.add("  " + signal + ", removed by every survivor: " + Distribution.of(all).summary()
        + (all.size() < runs.size() ? "; " + (runs.size() - all.size()) + " NOT detected" : ""));
    lines.add("    first suspicion " + Distribution.of(suspected).summary()
        + "; first removal " + Distribution.of(first).summary());
    lines.add("    other suspicions and removals during these runs: " + other);
    return lines;
  }

  /** Both detection medians within the goal, every victim detected, no false removal. */
  static boolean goalsMet(FailoverBench.Result r, long goalMillis) {
    for (List<Detection> runs : List.of(r.kills(), r.stops())) {
      if (runs.isEmpty()) {
        continue;
      }
      if (!runs.stream().allMatch(Detection::complete)) {
        return false;
      }
      if (Distribution.of(runs.stream().map(Detection::allRemovedMillis).toList()).median()
          > goalMillis) {
        return false;
      }
    }
    return r.soak() == null || r.soak().alarms().removals() == 0;
  }

  static Settings settings(ToolArgs parsed) {
    CommandLine line = parsed.line();
    int nodes = (int) number(line, "nodes", 10, 3, 50);
    int basePort = (int) number(line, "base-port", 7100, 1024, 65535 - nodes);
    List<Integer> ports = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      ports.add(basePort + i);
    }
    boolean load = !line.hasOption("no-load");
    if (!load && line.hasOption("rate")) {
      throw new IllegalArgumentException("--rate is the bench's; there is none with --no-load");
    }
    Path kvclient = load ? Path.of(line.getOptionValue("kvclient",
        Path.of(System.getProperty("qkv.repo", "."), "scripts", "kvclient").toString())) : null;
    FailoverBench.Options options = new FailoverBench.Options(ports,
        (int) number(line, "kills", 10, 0, 1000), (int) number(line, "stops", 10, 0, 1000),
        number(line, "soak", 600, 0, 86_400), (int) number(line, "rate", 2000, 1, 1_000_000),
        !line.hasOption("memory"), number(line, "timeout", 30_000, 1000, 600_000),
        parsed.kvnodeJar().toAbsolutePath(), parsed.runDir("run/failover").toAbsolutePath(),
        kvclient, Optional.ofNullable(System.getProperty("qkv.pid.file")).map(Path::of)
            .orElse(null));
    return new Settings(options, number(line, "goal", 1000, 1, 600_000));
  }

  /** The integer option {@code name}, {@code fallback} when absent, refused outside min..max. */
  private static long number(CommandLine line, String name, long fallback, long min, long max) {
    if (!line.hasOption(name)) {
      return fallback;
    }
    String text = line.getOptionValue(name);
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " takes an integer, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("--" + name + " must be from " + min + " to " + max
          + ", got " + value);
    }
    return value;
  }

  /** The command line's options (--help is added by ToolArgs). */
  static Options options() {
    Options o = new Options();
    for (String name : List.of("kills", "stops", "soak", "rate", "nodes", "base-port", "timeout",
        "goal", "kvclient")) {
      o.addOption(Option.builder().longOpt(name).hasArg().build());
    }
    o.addOption(Option.builder().longOpt("no-load").build());
    o.addOption(Option.builder().longOpt("memory").build());
    return ToolArgs.withPaths(o);
  }
}
