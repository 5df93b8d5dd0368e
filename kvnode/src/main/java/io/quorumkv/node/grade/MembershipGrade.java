package io.quorumkv.node.grade;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.NodeEvent.MembershipChange;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import io.quorumkv.node.grade.MembershipScenario.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores membership runs with the original MP1 grader's arithmetic (SEED-GRADER.md section 5), so
 * "90 / 90" here means what it meant there. The original greps a log of lines
 * {@code " <observer> [<tick>] Node <subject> joined|removed at time <tick>"}; here each
 * {@link NodeEvent.Membership} event is such a record, its tick being its time / 100 ms.
 *
 * <ul>
 *   <li>Join: the (observer, subject) pairs of "joined" records, tick ignored (the original's
 *       {@code cut -f2,4-7}), number exactly 100; or else each of the 10 observers has exactly 9
 *       distinct subjects other than itself. 10 points (15 in DROP_SINGLE).
 *   <li>Removal records are unique by (observer, tick, subject), as {@code sort -u} on whole lines:
 *       one observer removing a node at two ticks counts twice. A record "mentions" a node when
 *       the node is its observer or its subject (the original greps the whole line).
 *   <li>Single completeness: at least 9 records mention the failed node. 10 (15 in DROP_SINGLE).
 *   <li>Single accuracy: no record fails to mention it, and completeness counted more than 0. 10;
 *       not graded in DROP_SINGLE (the original has it commented out).
 *   <li>Multi completeness: +2 for each failed node mentioned by at least 5 records.
 *   <li>Multi accuracy: +2 for each failed node not mentioned by exactly 20 records (5 survivors
 *       times the 4 other failed nodes: anything else, false removals or double removals, breaks
 *       it).
 * </ul>
 *
 * <p>Beyond the original, every scenario also lists its false removals: removals of a node that
 * never failed, or of a failed node before it failed. The grade does not count them.
 */
public final class MembershipGrade {

  /** One graded check: its name as printed, points earned and possible, and what was counted. */
  public record Check(String name, int points, int maxPoints, String detail)
      implements Graded.Scored {

    /** "Checking Join..................10/10", as the original prints it. */
    public String line() {
      String label = "Checking " + name;
      StringBuilder out = new StringBuilder(label);
      while (out.length() < 31) {
        out.append('.');
      }
      return out.append(points).append('/').append(maxPoints).toString();
    }
  }

  /** A removal record: at {@code tick}, {@code observer} logged that {@code subject} was removed. */
  public record Removal(long tick, Address observer, Address subject) {
  }

  /** The grade of one scenario run. */
  public record ScenarioGrade(Kind kind, long seed, List<Check> checks,
      List<Removal> falseRemovals) implements Graded {

    public ScenarioGrade {
      checks = List.copyOf(checks);
      falseRemovals = List.copyOf(falseRemovals);
    }

    /** The scenario's heading, its check lines and the false-removal line. */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add("============================================");
      out.add(kind.title() + " (seed " + seed + ")");
      out.add("============================");
      for (Check check : checks) {
        out.add(check.line());
      }
      out.add("False removals (not graded)....." + falseRemovals.size()
          + (falseRemovals.isEmpty() ? "" : " " + falseRemovals));
      return out;
    }
  }

  private static final long TICK_MILLIS = MembershipScenario.TICK_MILLIS;
  private static final int NODES = MembershipScenario.NODES;
  /** Orders removal records like sort -u would dedupe them: by tick, observer, subject. */
  private static final Comparator<Removal> REMOVAL_ORDER = Comparator.comparingLong(Removal::tick)
      .thenComparing(Removal::observer)
      .thenComparing(Removal::subject);

  private MembershipGrade() {
  }

  /** Grades one scenario run. */
  public static ScenarioGrade grade(MembershipScenario.Result result) {
    return grade(result.kind(), result.seed(), result.failed(), result.failTick(),
        result.events());
  }

  /** Grades a hand-made or recorded event list, as if it were a run of {@code kind}. */
  public static ScenarioGrade grade(Kind kind, long seed, List<Address> failed, int failTick,
      List<TimedEvent> events) {
    Set<Removal> removals = new TreeSet<>(REMOVAL_ORDER);
    TreeMap<Address, Set<Address>> joins = new TreeMap<>();
    for (TimedEvent timed : events) {
      if (!(timed.event() instanceof NodeEvent.Membership m)) {
        continue;
      }
      if (m.change() == MembershipChange.JOINED) {
        joins.computeIfAbsent(m.observer(), a -> new TreeSet<>()).add(m.subject());
      } else {
        removals.add(new Removal(timed.tick(TICK_MILLIS), m.observer(), m.subject()));
      }
    }
    List<Address> victims = failed.stream().sorted().toList();
    List<Check> checks = new ArrayList<>();
    int joinPoints = kind == Kind.DROP_SINGLE ? 15 : 10;
    checks.add(joinCheck(joins, joinPoints));
    if (kind == Kind.MULTI) {
      checks.add(multiCompleteness(removals, victims));
      checks.add(multiAccuracy(removals, victims));
    } else {
      Address victim = victims.get(0);
      long completeness = mentioning(removals, victim);
      checks.add(new Check("Completeness", completeness >= NODES - 1 ? joinPoints : 0,
          joinPoints, completeness + " removal records mention " + victim));
      if (kind == Kind.SINGLE) {
        long others = removals.size() - completeness;
        boolean accurate = others == 0 && completeness > 0;
        checks.add(new Check("Accuracy", accurate ? 10 : 0, 10,
            others + " removal records do not mention " + victim));
      }
    }
    List<Removal> falseRemovals = removals.stream()
        .filter(r -> !victims.contains(r.subject()) || r.tick() < failTick)
        .toList();
    return new ScenarioGrade(kind, seed, checks, falseRemovals);
  }

  /** The printable report of several scenarios, ending with "TOTAL GRADE: x / 90". */
  public static List<String> report(List<ScenarioGrade> grades) {
    List<String> out = new ArrayList<>();
    out.add("============================================");
    out.add("Grading Started");
    for (ScenarioGrade grade : grades) {
      out.addAll(grade.lines());
    }
    out.add("============================================");
    out.add("TOTAL GRADE: " + total(grades) + " / "
        + grades.stream().mapToInt(ScenarioGrade::maxPoints).sum());
    return out;
  }

  /** Sum of the points of {@code grades}. */
  public static int total(List<ScenarioGrade> grades) {
    return grades.stream().mapToInt(ScenarioGrade::points).sum();
  }

  /** Runs and grades the three scenarios with one seed: the emulated MP1 grader. */
  public static List<ScenarioGrade> runAll(long seed) {
    List<ScenarioGrade> out = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      out.add(grade(MembershipScenario.run(kind, seed)));
    }
    return out;
  }

  /**
   * Prints the emulated MP1 grade of one seed (default 1), as the original Grader.sh prints its
   * own: {@code java -cp kvnode.jar io.quorumkv.node.grade.MembershipGrade [seed]}.
   */
  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
    report(runAll(seed)).forEach(System.out::println);
  }

  private static Check joinCheck(TreeMap<Address, Set<Address>> joins, int points) {
    int pairs = joins.values().stream().mapToInt(Set::size).sum();
    if (pairs == NODES * NODES) {
      return new Check("Join", points, points, pairs + " (observer, joined) pairs");
    }
    int complete = 0;
    for (var entry : joins.entrySet()) {
      Set<Address> others = new TreeSet<>(entry.getValue());
      others.remove(entry.getKey());
      if (others.size() == NODES - 1) {
        complete++;
      }
    }
    return new Check("Join", complete == NODES ? points : 0, points, pairs
        + " (observer, joined) pairs; " + complete + " observers saw all " + (NODES - 1)
        + " others");
  }

  private static Check multiCompleteness(Set<Removal> removals, List<Address> victims) {
    int points = 0;
    List<String> counts = new ArrayList<>();
    for (Address victim : victims) {
      long count = mentioning(removals, victim);
      counts.add(victim + "=" + count);
      if (count >= 5) {
        points += 2;
      }
    }
    return new Check("Completeness", points, 10, "records mentioning each failed node " + counts);
  }

  private static Check multiAccuracy(Set<Removal> removals, List<Address> victims) {
    long expected = (long) (NODES - victims.size()) * (victims.size() - 1);
    int points = 0;
    List<String> counts = new ArrayList<>();
    for (Address victim : victims) {
      long others = removals.size() - mentioning(removals, victim);
      counts.add(victim + "=" + others);
      if (others == expected) {
        points += 2;
      }
    }
    return new Check("Accuracy", points, 10,
        "records not mentioning each failed node (want " + expected + ") " + counts);
  }

  private static long mentioning(Set<Removal> removals, Address node) {
    return removals.stream()
        .filter(r -> r.observer().equals(node) || r.subject().equals(node))
        .count();
  }
}
