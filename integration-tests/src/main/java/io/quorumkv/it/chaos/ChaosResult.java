package io.quorumkv.it.chaos;

import io.quorumkv.node.check.Checker;
import io.quorumkv.node.check.Checker.Interval;
import io.quorumkv.node.check.History;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one chaos run found: its seed, the nemesis' log, the unsafe intervals, the history, the
 * checker's violations, and the problems of the run itself (a cluster that did not settle, a
 * final read that failed). Times are milliseconds since the workload began.
 *
 * @param pids every node process the run started, all gone when the run returned
 */
record ChaosResult(long seed, long faultMillis, List<Nemesis.Event> nemesis,
    Map<Nemesis.Kind, Integer> actions, List<Interval> unsafe, List<History.Op> history,
    List<Checker.Violation> violations, List<String> problems, Path runDir, List<Long> pids) {

  /** Operations on a violation's key within this much of its operations are shown with it. */
  static final long CONTEXT_MILLIS = 2_000;
  /** Most context operations shown per violation, and most violations shown. */
  static final int MAX_CONTEXT = 40;
  static final int MAX_SHOWN = 5;

  public ChaosResult {
    nemesis = List.copyOf(nemesis);
    actions = Map.copyOf(actions);
    unsafe = List.copyOf(unsafe);
    history = List.copyOf(history);
    violations = List.copyOf(violations);
    problems = List.copyOf(problems);
    pids = List.copyOf(pids);
  }

  /** True when the store kept every guarantee and the run itself went through. */
  public boolean ok() {
    return violations.isEmpty() && problems.isEmpty();
  }

  public long count(History.Outcome outcome) {
    return history.stream().filter(o -> o.outcome() == outcome).count();
  }

  public int actionCount(Nemesis.Kind kind) {
    return actions.getOrDefault(kind, 0);
  }

  /** The summary lines: operations by outcome, the nemesis' actions, the unsafe time. */
  public List<String> summary() {
    long unsafeMillis = unsafe.stream().mapToLong(i -> i.until() - i.from()).sum();
    return List.of(
        "operations: " + history.size() + " (" + count(History.Outcome.OK) + " ok, "
            + count(History.Outcome.FAIL) + " fail, " + count(History.Outcome.UNKNOWN)
            + " unknown)",
        "nemesis: " + actionCount(Nemesis.Kind.KILL) + " kills, "
            + actionCount(Nemesis.Kind.RESTART) + " restarts, "
            + actionCount(Nemesis.Kind.PAUSE) + " pauses, "
            + actionCount(Nemesis.Kind.RESUME) + " resumes, "
            + actionCount(Nemesis.Kind.CRASH_ALL) + " whole-cluster crashes; "
            + String.format(Locale.ROOT, "%.1f s", unsafeMillis / 1000.0)
            + " with two or more nodes disrupted (quorum reads not checked then)");
  }

  /**
   * The failure report: each problem, each violation with the history of its key around it
   * (its own operations marked {@code *}), the nemesis' actions and unsafe intervals of that
   * time, then the seed and the command that reruns it.
   */
  public List<String> report(String rerunCommand) {
    List<String> out = new ArrayList<>();
    problems.forEach(p -> out.add("PROBLEM " + p));
    Checker checker = new Checker(history);
    for (Checker.Violation v : violations.subList(0, Math.min(MAX_SHOWN, violations.size()))) {
      out.add("VIOLATION " + v.describe().replace("\n", "\n  "));
      List<History.Op> context = v.ops().isEmpty() ? List.of()
          : checker.context(v, CONTEXT_MILLIS);
      if (context.isEmpty()) {
        continue;
      }
      Set<Integer> own = new HashSet<>();
      v.ops().forEach(o -> own.add(o.id()));
      out.add("  history of " + v.key() + " within " + CONTEXT_MILLIS + " ms (* = above):");
      for (History.Op o : context.subList(0, Math.min(MAX_CONTEXT, context.size()))) {
        out.add("   " + (own.contains(o.id()) ? "* " : "  ") + o.describe());
      }
      if (context.size() > MAX_CONTEXT) {
        out.add("     ... " + (context.size() - MAX_CONTEXT) + " more");
      }
      long from = context.stream().mapToLong(History.Op::invokedMillis).min().orElse(0)
          - CONTEXT_MILLIS;
      long until = context.stream().mapToLong(o -> o.completedMillis() == Long.MAX_VALUE
          ? o.invokedMillis() : o.completedMillis()).max().orElse(0) + CONTEXT_MILLIS;
      out.add("  nemesis from t+" + seconds(from) + " to t+" + seconds(until) + ":");
      nemesis.stream().filter(e -> e.atMillis() >= from && e.atMillis() <= until)
          .forEach(e -> out.add("     " + e.describe()));
      unsafe.stream().filter(i -> i.from() <= until && i.until() >= from)
          .forEach(i -> out.add("     unsafe [" + i.from() + ".." + i.until() + "): " + i.why()));
    }
    if (violations.size() > MAX_SHOWN) {
      out.add("... and " + (violations.size() - MAX_SHOWN) + " more violations");
    }
    out.add("seed " + seed + "; the whole history and the node logs are in " + runDir);
    out.add("rerun: " + rerunCommand + "  (the same choices of faults and operations; the"
        + " timing of real processes differs from run to run)");
    return out;
  }

  /** Everything a reader of a failure may want, for the run directory: nemesis, intervals, ops. */
  public List<String> transcript() {
    List<String> out = new ArrayList<>();
    out.add("# chaos run, seed " + seed + ", " + faultMillis + " ms of faults");
    out.addAll(summary());
    out.add("# nemesis");
    nemesis.forEach(e -> out.add(e.describe()));
    out.add("# unsafe intervals");
    unsafe.forEach(i -> out.add("[" + i.from() + ".." + i.until() + ") " + i.why()));
    out.add("# history");
    history.forEach(o -> out.add(o.describe()));
    return out;
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1fs", Math.max(0, millis) / 1000.0);
  }
}
