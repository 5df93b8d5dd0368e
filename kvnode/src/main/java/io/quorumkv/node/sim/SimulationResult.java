package io.quorumkv.node.sim;

import io.quorumkv.node.check.Checker;
import io.quorumkv.node.check.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one simulation run found: its seed, its fault schedule, the history, and the violations
 * (none when the store kept every guarantee).
 */
public record SimulationResult(long seed, List<String> schedule, List<History.Op> history,
    List<Checker.Violation> violations, Map<String, Long> networkStats, long endMillis) {

  /** Operations on a violation's key within this much of its operations are shown with it. */
  static final long CONTEXT_MILLIS = 2_000;
  /** Most context operations shown per violation, and most violations shown. */
  static final int MAX_CONTEXT = 40;
  static final int MAX_SHOWN = 5;

  public SimulationResult {
    schedule = List.copyOf(schedule);
    history = List.copyOf(history);
    violations = List.copyOf(violations);
    networkStats = Map.copyOf(networkStats);
  }

  public boolean ok() {
    return violations.isEmpty();
  }

  /** How many operations ended with each outcome, for a progress line. */
  public String summary() {
    long ok = history.stream().filter(o -> o.outcome() == History.Outcome.OK).count();
    long fail = history.stream().filter(o -> o.outcome() == History.Outcome.FAIL).count();
    return history.size() + " ops (" + ok + " ok, " + fail + " fail, "
        + (history.size() - ok - fail) + " unknown), " + schedule.size() + " fault steps";
  }

  /**
   * The failure report: the seed, the schedule, each violation with the part of the history
   * around it, and the command that replays the run.
   */
  public List<String> report(String replayCommand) {
    List<String> out = new ArrayList<>();
    out.add("seed " + seed + ": " + violations.size() + " violation(s); " + summary());
    out.add("  schedule:");
    schedule.forEach(s -> out.add("    " + s));
    Checker checker = new Checker(history);
    for (Checker.Violation v : violations.subList(0, Math.min(MAX_SHOWN, violations.size()))) {
      out.add("  VIOLATION " + v.describe().replace("\n", "\n  "));
      List<History.Op> context = v.ops().isEmpty() ? List.of()
          : checker.context(v, CONTEXT_MILLIS);
      if (!context.isEmpty()) {
        out.add("    history of " + v.key() + " around it:");
        for (History.Op o : context.subList(0, Math.min(MAX_CONTEXT, context.size()))) {
          out.add("      " + o.describe());
        }
      }
    }
    if (violations.size() > MAX_SHOWN) {
      out.add("  ... and " + (violations.size() - MAX_SHOWN) + " more");
    }
    out.add("  replay: " + replayCommand);
    return out;
  }
}
