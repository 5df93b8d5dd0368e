package io.quorumkv.it.grade;

import io.quorumkv.node.emul.MembershipGrade;
import io.quorumkv.node.emul.MembershipScenario;
import io.quorumkv.node.emul.MembershipScenario.Kind;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The seed's graders, both ways: scores the membership scenarios (out of 90) and the key-value
 * scenarios (out of 90) on the emulated network, on real processes, or both, and prints one line
 * per check and a "TOTAL GRADE" line per grader, as the originals did. Exit code 0 only with full
 * marks everywhere; 1 otherwise; 2 for bad arguments.
 */
public final class GradeMain {

  static final String USAGE = """
      Usage: grade.sh [--emulated | --real] [--seed S] [--scenario NAME] [--ticks N]

      Runs the seed assignment's graders against QuorumKV and prints their scores.

        --emulated       only on the emulated network (in this JVM, simulated time, seconds)
        --real           only on 10 real kvnode processes on loopback (1 tick = 100 ms; about
                         75 s per scenario at the full 700 ticks)
                         Without either, both modes run, emulated first.
        --seed S         picks keys, values, coordinators and victims (default 1); the same
                         seed replays an emulated run exactly
        --scenario NAME  one scenario only: single, multi, drop (membership) or create,
                         delete, read, update (key-value). Default: all
        --ticks N        real mode: end each run at tick N instead of 700 (at least 150 for
                         membership); the emulated runs always use the original 700
        --kvnode-jar P   real mode: the node's jar (default kvnode/target/kvnode.jar)
        --run-dir D      real mode: where node logs and event logs go (default run/grade)
        -h, --help       this text

      Exit status: 0 with full marks, 1 otherwise, 2 for bad arguments.
      """;

  private GradeMain() {
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    CommandLine line;
    try {
      line = DefaultParser.builder().setAllowPartialMatching(false).build()
          .parse(options(), args);
    } catch (ParseException e) {
      err.println("grade: " + e.getMessage() + " (see --help)");
      return 2;
    }
    if (line.hasOption("help")) {
      out.print(USAGE);
      return 0;
    }
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
    if (ticks < 150 || ticks > MembershipScenario.TOTAL_TICKS) {
      err.println("grade: --ticks must be from 150 to " + MembershipScenario.TOTAL_TICKS);
      return 2;
    }
    String scenario = line.getOptionValue("scenario", "all").toLowerCase(Locale.ROOT);
    List<Kind> membership = membershipKinds(scenario);
    if (membership == null) {
      err.println("grade: unknown scenario '" + scenario + "' (see --help)");
      return 2;
    }
    Path jar = Path.of(line.getOptionValue("kvnode-jar", "kvnode/target/kvnode.jar"));
    Path runDir = Path.of(line.getOptionValue("run-dir", "run/grade"));
    if (real && !Files.isRegularFile(jar)) {
      err.println("grade: kvnode jar not found at " + jar + " (build with mvn -B package)");
      return 2;
    }
    boolean full = true;
    if (emulated) {
      full &= report("Emulated membership grader", grades(membership, seed, null, null, 0), out);
    }
    if (real) {
      full &= report("Real-process membership grader (1 tick = 100 ms)",
          grades(membership, seed, jar, runDir, ticks), out);
    }
    return full ? 0 : 1;
  }

  private static List<MembershipGrade.ScenarioGrade> grades(List<Kind> kinds, long seed,
      Path jar, Path runDir, int ticks) throws Exception {
    List<MembershipGrade.ScenarioGrade> grades = new ArrayList<>();
    for (Kind kind : kinds) {
      grades.add(jar == null ? MembershipGrade.grade(MembershipScenario.run(kind, seed))
          : RealMembershipRun.run(kind, seed, jar,
              runDir.resolve(kind.name().toLowerCase(Locale.ROOT)), ticks));
    }
    return grades;
  }

  private static boolean report(String title, List<MembershipGrade.ScenarioGrade> grades,
      PrintStream out) {
    if (grades.isEmpty()) {
      return true;
    }
    out.println("#### " + title);
    MembershipGrade.report(grades).forEach(out::println);
    out.flush();
    return grades.stream().allMatch(MembershipGrade.ScenarioGrade::isFullMarks);
  }

  /** The membership kinds a scenario name selects: all, one, or none (a key-value name). */
  private static List<Kind> membershipKinds(String scenario) {
    switch (scenario) {
      case "all":
        return List.of(Kind.values());
      case "single":
        return List.of(Kind.SINGLE);
      case "multi":
        return List.of(Kind.MULTI);
      case "drop":
        return List.of(Kind.DROP_SINGLE);
      case "create":
      case "delete":
      case "read":
      case "update":
        return List.of();
      default:
        return null;
    }
  }

  private static Options options() {
    Options o = new Options();
    o.addOption(Option.builder().longOpt("emulated").build());
    o.addOption(Option.builder().longOpt("real").build());
    o.addOption(Option.builder().longOpt("seed").hasArg().build());
    o.addOption(Option.builder().longOpt("scenario").hasArg().build());
    o.addOption(Option.builder().longOpt("ticks").hasArg().build());
    o.addOption(Option.builder().longOpt("kvnode-jar").hasArg().build());
    o.addOption(Option.builder().longOpt("run-dir").hasArg().build());
    o.addOption(Option.builder("h").longOpt("help").build());
    return o;
  }
}
