package io.quorumkv.it.grade;

import io.quorumkv.node.grade.EmulatedTestbed;
import io.quorumkv.node.grade.KvGrade;
import io.quorumkv.node.grade.KvScenario;
import io.quorumkv.node.grade.MembershipGrade;
import io.quorumkv.node.grade.MembershipScenario;
import io.quorumkv.node.grade.SeedLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the selected scenarios in one mode (emulated or real), prints each grader's report as the
 * originals do, writes each run's dbg.log under {@code runDir/<mode>/<scenario>/}, and for every
 * run short of full marks prints what the driver saw and the command that replays it.
 */
final class Grading {

  /** Where the scenarios run. */
  enum Mode {
    EMULATED("Emulated", "--emulated"),
    REAL("Real-process", "--real");

    final String title;
    final String flag;

    Mode(String title, String flag) {
      this.title = title;
      this.flag = flag;
    }
  }

  private final Mode mode;
  private final long seed;
  private final Path kvnodeJar;
  private final Path runDir;
  private final int ticks;
  private final PrintStream out;

  /**
   * @param ticks real mode: the tick at which runs end (the emulated runs always end at 700)
   */
  Grading(Mode mode, long seed, Path kvnodeJar, Path runDir, int ticks, PrintStream out) {
    this.mode = mode;
    this.seed = seed;
    this.kvnodeJar = kvnodeJar;
    this.runDir = runDir.resolve(mode.name().toLowerCase(Locale.ROOT));
    this.ticks = mode == Mode.EMULATED ? MembershipScenario.TOTAL_TICKS : ticks;
    this.out = out;
  }

  /** Runs and reports the membership scenarios; true with full marks. */
  boolean membership(List<MembershipScenario.Kind> kinds) throws Exception {
    if (kinds.isEmpty()) {
      return true;
    }
    List<MembershipGrade.ScenarioGrade> grades = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (MembershipScenario.Kind kind : kinds) {
      String name = GradeMain.scenarioName(kind);
      Path dir = runDir.resolve(name);
      MembershipScenario.Result result = mode == Mode.EMULATED
          ? MembershipScenario.run(kind, seed)
          : RealMembershipRun.run(kind, seed, kvnodeJar, dir, ticks);
      Path log = write(dir, SeedLog.of(List.of(), result.events(), MembershipScenario.TICK_MILLIS));
      MembershipGrade.ScenarioGrade grade = MembershipGrade.grade(result);
      grades.add(grade);
      if (!grade.isFullMarks()) {
        failures.add(name + " scored " + grade.points() + " / " + grade.maxPoints() + "; failed "
            + result.failed() + "; log " + log + "; replay: " + replay(name));
      }
    }
    out.println("#### " + mode.title + " membership grader (seed " + seed + ")");
    MembershipGrade.report(grades).forEach(out::println);
    failures.forEach(f -> out.println("FAILED " + f));
    out.flush();
    return failures.isEmpty();
  }

  /** Runs and reports the key-value scenarios; true with full marks. */
  boolean keyValue(List<KvScenario.Kind> kinds) throws Exception {
    if (kinds.isEmpty()) {
      return true;
    }
    List<KvGrade.ScenarioGrade> grades = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (KvScenario.Kind kind : kinds) {
      Path dir = runDir.resolve(kind.scenarioName());
      KvScenario.Result result = mode == Mode.EMULATED
          ? KvScenario.run(kind, seed, new EmulatedTestbed(seed), ticks)
          : RealKvRun.run(kind, seed, kvnodeJar, dir, ticks);
      Path log = write(dir, result.log());
      KvGrade.ScenarioGrade grade = KvGrade.grade(result);
      grades.add(grade);
      if (!grade.isFullMarks()) {
        List<String> lines = new ArrayList<>();
        lines.add(kind.scenarioName() + " scored " + grade.points() + " / " + grade.maxPoints()
            + "; log " + log + "; replay: " + replay(kind.scenarioName()));
        result.notes().forEach(n -> lines.add("  driver: " + n));
        result.answers().stream().filter(a -> !a.contains(" create ") || !a.endsWith("OK"))
            .forEach(a -> lines.add("  answer: " + a));
        failures.add(String.join("\n", lines));
      }
    }
    out.println("#### " + mode.title + " key-value grader (seed " + seed + ")");
    KvGrade.report(grades).forEach(out::println);
    failures.forEach(f -> out.println("FAILED " + f));
    out.flush();
    return failures.isEmpty();
  }

  private String replay(String scenario) {
    return "scripts/grade.sh " + mode.flag + " --scenario " + scenario + " --seed " + seed
        + (mode == Mode.REAL ? " --ticks " + ticks + " (timing differs from run to run)" : "");
  }

  private static Path write(Path dir, SeedLog log) throws IOException {
    Path file = dir.resolve("dbg.log");
    log.write(file);
    return file;
  }
}
