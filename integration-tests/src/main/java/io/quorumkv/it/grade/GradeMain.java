package io.quorumkv.it.grade;

import io.quorumkv.node.grade.KvScenario;
import io.quorumkv.node.grade.MembershipScenario;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.quorumkv.it.ToolArgs;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The seed's graders, both ways: scores the membership scenarios (out of 90) and the key-value
 * scenarios (out of 90) on the emulated network, on real processes, or both, and prints one line
 * per check and a "TOTAL GRADE" line per grader, as the originals did. Exit code 0 only with full
 * marks everywhere; 1 otherwise; 2 for bad arguments.
 */
public final class GradeMain {

  static final String USAGE = """
      Usage: grade.sh [--emulated | --real] [--seed S] [--scenario NAME] [--ticks N]

      Runs the seed assignment's two graders against QuorumKV and prints their scores, line by
      line as the originals did: membership (single, multi, drop; 90 points) and key-value
      (create, delete, read, update; 90 points).

        --emulated       only on the emulated network: 10 nodes in this JVM on simulated time,
                         1 tick = 100 ms; seconds in all
        --real           only on 10 real kvnode processes on loopback, killed with SIGKILL,
                         1 tick = 100 ms of wall-clock time: 70 s per scenario at 700 ticks
                         Without either, both modes run, emulated first.
        --seed S         picks keys, values, coordinators and victims (default 1); the same
                         seed replays an emulated run exactly
        --scenario NAME  one scenario only: single, multi, drop, create, delete, read, update;
                         or membership, kv (one grader). Default: all
        --ticks N        real mode: end each run at tick N, 300 to 700 (default 700); the
                         emulated runs always end at 700
        --kvnode-jar P   real mode: the node's jar (default: the repository's
                         kvnode/target/kvnode.jar)
        --run-dir D      where each run's dbg.log (and a real run's node logs) go, under
                         D/emulated/NAME and D/real/NAME (default: the repository's run/grade)
        -h, --help       this text

      Each run short of full marks is followed by a FAILED line: its dbg.log, what the driver
      saw (replica lists, victims, the coordinators' answers), and the command that replays it.

      Exit status: 0 with full marks, 1 otherwise, 2 for bad arguments.
      """;

  /** Real runs end no earlier: past the last operation (tick 285) and the loss window (300). */
  static final int MIN_TICKS = 300;

  private GradeMain() {
  }

  public static void main(String[] args) throws Exception {
    // The emulated nodes log through the JDK's logging into this process's stderr; their
    // stabilization lines would bury the report. Warnings still show.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    ToolArgs parsed = ToolArgs.parse("grade", USAGE, options(), args, out, err);
    if (!parsed.parsed()) {
      return parsed.exitStatus();
    }
    CommandLine line = parsed.line();
    boolean emulated = !line.hasOption("real") || line.hasOption("emulated");
    boolean real = !line.hasOption("emulated") || line.hasOption("real");
    long seed;
    int ticks;
    try {
      seed = Long.parseLong(line.getOptionValue("seed", "1"));
      ticks = Integer.parseInt(line.getOptionValue("ticks",
          String.valueOf(MembershipScenario.TOTAL_TICKS)));
    } catch (NumberFormatException e) {
      err.println("grade: --seed and --ticks take integers (see --help)");
      return 2;
    }
    if (ticks < MIN_TICKS || ticks > MembershipScenario.TOTAL_TICKS) {
      err.println("grade: --ticks must be from " + MIN_TICKS + " to "
          + MembershipScenario.TOTAL_TICKS);
      return 2;
    }
    String scenario = line.getOptionValue("scenario", "all").toLowerCase(Locale.ROOT);
    List<MembershipScenario.Kind> membership = new ArrayList<>();
    List<KvScenario.Kind> keyValue = new ArrayList<>();
    if (!select(scenario, membership, keyValue)) {
      err.println("grade: unknown scenario '" + scenario + "' (see --help)");
      return 2;
    }
    // scripts/grade.sh names the repository's jar and run directory in system properties.
    Path jar = parsed.kvnodeJar();
    Path runDir = parsed.runDir("run/grade");
    if (real && !Files.isRegularFile(jar)) {
      err.println("grade: kvnode jar not found at " + jar + " (build with mvn -B package)");
      return 2;
    }
    boolean full = true;
    for (Grading.Mode mode : Grading.Mode.values()) {
      if (mode == Grading.Mode.EMULATED ? emulated : real) {
        Grading grading = new Grading(mode, seed, jar, runDir, ticks, out);
        full &= grading.membership(membership);
        full &= grading.keyValue(keyValue);
      }
    }
    return full ? 0 : 1;
  }

  /** The name {@code --scenario} gives a membership scenario. */
  static String scenarioName(MembershipScenario.Kind kind) {
    return switch (kind) {
      case SINGLE -> "single";
      case MULTI -> "multi";
      case DROP_SINGLE -> "drop";
    };
  }

  /** Adds the scenarios {@code name} selects; false for an unknown name. */
  private static boolean select(String name, List<MembershipScenario.Kind> membership,
      List<KvScenario.Kind> keyValue) {
    boolean all = name.equals("all");
    for (MembershipScenario.Kind kind : MembershipScenario.Kind.values()) {
      if (all || name.equals("membership") || name.equals(scenarioName(kind))) {
        membership.add(kind);
      }
    }
    for (KvScenario.Kind kind : KvScenario.Kind.values()) {
      if (all || name.equals("kv") || name.equals(kind.scenarioName())) {
        keyValue.add(kind);
      }
    }
    return !membership.isEmpty() || !keyValue.isEmpty();
  }

  private static Options options() {
    Options o = new Options();
    o.addOption(Option.builder().longOpt("emulated").build());
    o.addOption(Option.builder().longOpt("real").build());
    o.addOption(Option.builder().longOpt("seed").hasArg().build());
    o.addOption(Option.builder().longOpt("scenario").hasArg().build());
    o.addOption(Option.builder().longOpt("ticks").hasArg().build());
    return ToolArgs.withPaths(o);
  }
}
