package io.quorumkv.node.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.NodeEvent.MembershipChange;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import io.quorumkv.node.grade.MembershipGrade.ScenarioGrade;
import io.quorumkv.node.grade.MembershipScenario.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The grading arithmetic on hand-made event lists, so that it is known right before any protocol
 * is graded with it: perfect runs, a missing join, a false removal, and a double removal at
 * different ticks, which the original's "exactly 20" multi-accuracy count punishes.
 */
class MembershipGradeTest {

  private static final List<Address> NODES = MembershipScenario.addresses();

  private static TimedEvent event(long tick, Address observer, MembershipChange change,
      Address subject) {
    return new TimedEvent(tick * MembershipScenario.TICK_MILLIS + 7,
        new NodeEvent.Membership(observer, change, subject, 1, 0));
  }

  /** Every node logs the join of every node, itself included, some of them twice. */
  private static List<TimedEvent> allJoins() {
    List<TimedEvent> out = new ArrayList<>();
    for (Address observer : NODES) {
      for (Address subject : NODES) {
        out.add(event(3, observer, MembershipChange.JOINED, subject));
        out.add(event(4, observer, MembershipChange.JOINED, subject)); // a re-log: same pair
      }
    }
    return out;
  }

  /** Each survivor removes each victim once, at tick 105. */
  private static List<TimedEvent> removals(List<Address> victims) {
    List<TimedEvent> out = new ArrayList<>();
    for (Address observer : NODES) {
      if (victims.contains(observer)) {
        continue;
      }
      for (Address victim : victims) {
        out.add(event(105, observer, MembershipChange.REMOVED, victim));
      }
    }
    return out;
  }

  private static List<TimedEvent> perfect(List<Address> victims) {
    List<TimedEvent> out = allJoins();
    out.addAll(removals(victims));
    return out;
  }

  private static ScenarioGrade grade(Kind kind, List<Address> victims, List<TimedEvent> events) {
    return MembershipGrade.grade(kind, 1, victims, 100, events);
  }

  private static int points(ScenarioGrade grade, String check) {
    return grade.checks().stream().filter(c -> c.name().equals(check)).findFirst().orElseThrow()
        .points();
  }

  @Test
  void perfectRunsScoreNinety() {
    List<Address> one = List.of(NODES.get(4));
    List<Address> five = NODES.subList(2, 7);
    List<ScenarioGrade> grades = List.of(
        grade(Kind.SINGLE, one, perfect(one)),
        grade(Kind.MULTI, five, perfect(five)),
        grade(Kind.DROP_SINGLE, one, perfect(one)));
    for (ScenarioGrade g : grades) {
      assertTrue(g.isFullMarks(), String.join("\n", g.lines()));
      assertEquals(30, g.points());
      assertEquals(List.of(), g.falseRemovals());
    }
    List<String> report = MembershipGrade.report(grades);
    assertEquals("TOTAL GRADE: 90 / 90", report.get(report.size() - 1));
    assertTrue(report.contains("Checking Join..................10/10"), report.toString());
    assertTrue(report.contains("Checking Completeness..........15/15"), report.toString());
    assertTrue(report.contains("Checking Accuracy..............10/10"), report.toString());
  }

  @Test
  void joinPassesThroughEitherBranch() {
    // Branch (b): nobody logs itself, but each of the 10 sees exactly 9 others.
    List<TimedEvent> events = new ArrayList<>();
    for (TimedEvent e : allJoins()) {
      NodeEvent.Membership m = (NodeEvent.Membership) e.event();
      if (!m.observer().equals(m.subject())) {
        events.add(e);
      }
    }
    List<Address> one = List.of(NODES.get(0));
    events.addAll(removals(one));
    assertEquals(10, points(grade(Kind.SINGLE, one, events), "Join"));
  }

  @Test
  void aMissingJoinFailsTheJoinCheck() {
    List<Address> one = List.of(NODES.get(9));
    List<TimedEvent> events = perfect(one);
    events.removeIf(e -> e.event() instanceof NodeEvent.Membership m
        && m.observer().equals(NODES.get(2)) && m.subject().equals(NODES.get(5)));
    ScenarioGrade g = grade(Kind.SINGLE, one, events);
    assertEquals(0, points(g, "Join"));
    assertEquals(20, g.points()); // completeness and accuracy unaffected
  }

  @Test
  void aFalseRemovalFailsSingleAccuracyAndIsReported() {
    List<Address> one = List.of(NODES.get(3));
    List<TimedEvent> events = perfect(one);
    events.add(event(200, NODES.get(0), MembershipChange.REMOVED, NODES.get(1)));
    ScenarioGrade g = grade(Kind.SINGLE, one, events);
    assertEquals(10, points(g, "Completeness"));
    assertEquals(0, points(g, "Accuracy"));
    assertEquals(List.of(new MembershipGrade.Removal(200, NODES.get(0), NODES.get(1))),
        g.falseRemovals());

    // In DROP_SINGLE accuracy is not graded, but the false removal is still reported.
    ScenarioGrade drop = grade(Kind.DROP_SINGLE, one, events);
    assertEquals(30, drop.points());
    assertEquals(1, drop.falseRemovals().size());
  }

  @Test
  void singleCompletenessNeedsNineRecords() {
    List<Address> one = List.of(NODES.get(6));
    List<TimedEvent> events = perfect(one);
    events.removeIf(e -> e.event() instanceof NodeEvent.Membership m
        && m.change() == MembershipChange.REMOVED && m.observer().equals(NODES.get(0)));
    ScenarioGrade g = grade(Kind.SINGLE, one, events);
    assertEquals(0, points(g, "Completeness"));
    assertEquals(10, points(g, "Accuracy")); // nothing wrong removed, and the count is > 0

    ScenarioGrade none = grade(Kind.SINGLE, one, allJoins());
    assertEquals(0, points(none, "Accuracy")); // no removal at all is not accurate either
  }

  @Test
  void multiDoubleRemovalAtDifferentTicksBreaksAccuracyForTheOthers() {
    List<Address> five = NODES.subList(0, 5);
    Address twice = NODES.get(2);
    List<TimedEvent> events = perfect(five);
    events.add(event(130, NODES.get(7), MembershipChange.REMOVED, twice));
    ScenarioGrade g = grade(Kind.MULTI, five, events);
    assertEquals(10, points(g, "Completeness"));
    // 26 unique records: 20 do not mention the doubly removed node, 21 miss each other victim.
    assertEquals(2, points(g, "Accuracy"));

    // The same record at the same tick is a duplicate line, which sort -u removes.
    List<TimedEvent> sameTick = perfect(five);
    sameTick.add(event(105, NODES.get(7), MembershipChange.REMOVED, twice));
    assertEquals(30, grade(Kind.MULTI, five, sameTick).points());
  }

  @Test
  void multiCompletenessCountsEachVictim() {
    List<Address> five = NODES.subList(5, 10);
    List<TimedEvent> events = perfect(five);
    // Only one survivor removes the last victim: 1 record < 5, so that victim earns nothing.
    events.removeIf(e -> e.event() instanceof NodeEvent.Membership m
        && m.change() == MembershipChange.REMOVED && m.subject().equals(NODES.get(9))
        && !m.observer().equals(NODES.get(0)));
    ScenarioGrade g = grade(Kind.MULTI, five, events);
    assertEquals(8, points(g, "Completeness"));
    // Accuracy: 21 records; only the last victim is missed by exactly 20 of them.
    assertEquals(2, points(g, "Accuracy"));
  }

  @Test
  void aRemovalBeforeTheFailureIsReportedAsFalse() {
    List<Address> one = List.of(NODES.get(1));
    List<TimedEvent> events = perfect(one);
    events.add(event(50, NODES.get(0), MembershipChange.REMOVED, NODES.get(1)));
    ScenarioGrade g = grade(Kind.DROP_SINGLE, one, events);
    assertEquals(1, g.falseRemovals().size());
    assertEquals(50, g.falseRemovals().get(0).tick());
  }
}
