package io.quorumkv.node.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import io.quorumkv.node.grade.KvGrade.Check;
import io.quorumkv.node.grade.KvGrade.ScenarioGrade;
import io.quorumkv.node.grade.KvScenario.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The KV grader's arithmetic on hand-made logs: a perfect run scores full marks, and each way the
 * original would fail a run (an extra or missing outcome record, a wrong value, a second fail)
 * costs exactly the check it should.
 */
class KvGradeTest {

  private static final Address CLIENT = new Address("127.0.0.1", 9000);
  private static final Address COORDINATOR = new Address("127.0.0.1", 7001);

  /** Builds a run's operations and events, in ticks. */
  private static final class Run {
    final List<SeedLog.Operation> operations = new ArrayList<>();
    final List<TimedEvent> events = new ArrayList<>();
    long requestId = 1;

    Run operation(long tick, KvOp op, String key, String value) {
      operations.add(new SeedLog.Operation(tick, COORDINATOR, op, key, value));
      return this;
    }

    /** The coordinator's outcome, then {@code servers} replicas' outcomes, all at {@code tick}. */
    Run outcomes(long tick, KvOp op, boolean success, String key, String value, int servers) {
      events.add(event(tick, COORDINATOR, NodeEvent.Role.COORDINATOR, op, success, key, value));
      for (int i = 0; i < servers; i++) {
        events.add(event(tick, new Address("127.0.0.1", 7002 + i), NodeEvent.Role.REPLICA, op,
            success, key, value));
      }
      requestId++;
      return this;
    }

    Run server(long tick, KvOp op, boolean success, String key, String value) {
      events.add(event(tick, new Address("127.0.0.1", 7009), NodeEvent.Role.REPLICA, op, success,
          key, value));
      return this;
    }

    private TimedEvent event(long tick, Address node, NodeEvent.Role role, KvOp op,
        boolean success, String key, String value) {
      return new TimedEvent(tick * KvScenario.TICK_MILLIS + 3, new NodeEvent.KvOutcome(node,
          role, op, success, CLIENT, requestId, key, value));
    }

    ScenarioGrade grade(Kind kind) {
      return KvGrade.grade(kind, 1, SeedLog.of(operations, events, KvScenario.TICK_MILLIS)
          .records());
    }
  }

  /** Keys of one length, so that no key is a substring of another (the greps would mix them). */
  private static String key(int i) {
    return String.format("k%04d", i);
  }

  private static Run created(int keys) {
    Run run = new Run();
    for (int i = 0; i < keys; i++) {
      run.operation(100, KvOp.CREATE, key(i), "value" + i)
          .outcomes(100, KvOp.CREATE, true, key(i), "value" + i, 3);
    }
    return run;
  }

  /** A READ or UPDATE run as a correct store logs it: 4, 3, 1 fail, 4, 4 and 4 fails. */
  private static Run failureTests(KvOp op, String value) {
    Run run = created(3);
    String key = key(0);
    run.operation(150, op, key, value).outcomes(150, op, true, key, value, 3);
    run.operation(175, op, key, value).outcomes(175, op, true, key, value, 2);
    run.operation(225, op, key, value).outcomes(226, op, false, key, value, 0)
        .server(225, op, true, key, value);
    run.operation(275, op, key, value).outcomes(275, op, true, key, value, 3);
    run.operation(285, op, key, value).outcomes(285, op, true, key, value, 3);
    run.operation(285, op, "invalidKey", "").outcomes(285, op, false, "invalidKey", "", 3);
    return run;
  }

  private static List<Integer> points(ScenarioGrade grade) {
    return grade.checks().stream().map(Check::points).toList();
  }

  @Test
  void correctRunsScoreFullMarksAndTheTotalIsNinety() {
    Run delete = created(51);
    for (int i = 0; i < 50; i++) {
      delete.operation(150, KvOp.DELETE, key(i + 1), "")
          .outcomes(150, KvOp.DELETE, true, key(i + 1), "", 3);
    }
    delete.operation(150, KvOp.DELETE, "invalidKey", "")
        .outcomes(151, KvOp.DELETE, false, "invalidKey", "", 3);
    List<ScenarioGrade> grades = List.of(created(100).grade(Kind.CREATE),
        delete.grade(Kind.DELETE), failureTests(KvOp.READ, "value0").grade(Kind.READ),
        failureTests(KvOp.UPDATE, "newValue").grade(Kind.UPDATE));
    List<String> report = KvGrade.report(grades);
    assertEquals("TOTAL GRADE: 90 / 90", report.get(report.size() - 1), String.join("\n", report));
  }

  @Test
  void oneExtraCreateSuccessAnywhereFailsTheCreateCheck() {
    Run run = created(100);
    run.server(400, KvOp.CREATE, true, key(0), "value0"); // say, re-replication that logs
    assertEquals(List.of(0), points(run.grade(Kind.CREATE)));
  }

  @Test
  void theRightTotalWithAKeyShortAndAnotherOverFailsTheCreateCheck() {
    Run run = new Run();
    run.operation(100, KvOp.CREATE, "kAAAA", "v").outcomes(100, KvOp.CREATE, true, "kAAAA", "v",
        2);
    run.operation(100, KvOp.CREATE, "kBBBB", "v").outcomes(100, KvOp.CREATE, true, "kBBBB", "v",
        4);
    assertEquals(List.of(0), points(run.grade(Kind.CREATE)));
  }

  @Test
  void anInvalidDeleteNeedsExactlyFourFails() {
    Run run = created(2);
    run.operation(150, KvOp.DELETE, key(1), "").outcomes(150, KvOp.DELETE, true, key(1), "", 3);
    run.operation(150, KvOp.DELETE, "invalidKey", "")
        .outcomes(150, KvOp.DELETE, false, "invalidKey", "", 2);
    assertEquals(List.of(3, 0), points(run.grade(Kind.DELETE)));
  }

  @Test
  void afterOneReplicaFailedExactlyThreeSuccessesAreWanted() {
    Run run = failureTests(KvOp.READ, "value0");
    run.server(180, KvOp.READ, true, key(0), "value0"); // a fourth in [175, 225)
    assertEquals(List.of(3, 0, 9, 10, 6, 3), points(run.grade(Kind.READ)));
  }

  @Test
  void withoutQuorumExactlyOneFailIsWantedAndSuccessesThereDoNotCount() {
    Run run = failureTests(KvOp.UPDATE, "newValue");
    run.server(230, KvOp.UPDATE, true, key(0), "newValue"); // not counted anywhere
    assertEquals(List.of(3, 9, 9, 10, 6, 3), points(run.grade(Kind.UPDATE)));
    run.server(230, KvOp.UPDATE, false, key(0), "newValue"); // a replica's fail counts
    assertEquals(List.of(3, 9, 0, 10, 6, 3), points(run.grade(Kind.UPDATE)));
  }

  @Test
  void aSuccessWithAnotherValueDoesNotCount() {
    Run run = created(1);
    String key = key(0);
    run.operation(150, KvOp.READ, key, "value0").outcomes(150, KvOp.READ, true, key, "stale", 3);
    run.operation(175, KvOp.READ, key, "value0").outcomes(175, KvOp.READ, true, key, "value0", 2);
    run.operation(225, KvOp.READ, key, "value0").outcomes(230, KvOp.READ, false, key, "", 0);
    run.operation(275, KvOp.READ, key, "value0").outcomes(275, KvOp.READ, true, key, "value0", 3);
    run.operation(285, KvOp.READ, key, "value0").outcomes(285, KvOp.READ, true, key, "value0", 3);
    run.operation(285, KvOp.READ, "invalidKey", "")
        .outcomes(285, KvOp.READ, false, "invalidKey", "", 2);
    assertEquals(List.of(0, 9, 9, 10, 6, 3), points(run.grade(Kind.READ)));
  }

  @Test
  void aDriverThatStoppedEarlyScoresNothingForItsTests() {
    Run run = created(3);
    run.operation(150, KvOp.READ, key(0), "value0")
        .outcomes(150, KvOp.READ, true, key(0), "value0", 3);
    ScenarioGrade grade = run.grade(Kind.READ);
    assertEquals(List.of(0, 0, 0, 0, 0, 0), points(grade));
    assertEquals(40, grade.maxPoints());
  }

  @Test
  void recordsReadAsTheOriginalsDo() {
    List<String> records = SeedLog.of(
        List.of(new SeedLog.Operation(150, COORDINATOR, KvOp.READ, "k0001", "value7")),
        List.of(new TimedEvent(15_042, new NodeEvent.KvOutcome(COORDINATOR,
                NodeEvent.Role.COORDINATOR, KvOp.READ, true, CLIENT, 12, "k0001", "value7")),
            new TimedEvent(15_001, new NodeEvent.KvOutcome(COORDINATOR, NodeEvent.Role.REPLICA,
                KvOp.DELETE, false, CLIENT, 13, "k0002", "")),
            new TimedEvent(15_001, new NodeEvent.Membership(COORDINATOR,
                NodeEvent.MembershipChange.REMOVED, CLIENT, 1, 0))),
        KvScenario.TICK_MILLIS).records();
    assertEquals(List.of(
        " 127.0.0.1:7001 [150] READ OPERATION KEY: k0001 VALUE: value7 at time: 150",
        " 127.0.0.1:7001 [150] server: delete fail at time 150, transID=13, key=k0002",
        " 127.0.0.1:7001 [150] Node 127.0.0.1:9000 removed at time 150",
        " 127.0.0.1:7001 [150] coordinator: read success at time 150, transID=12, key=k0001,"
            + " value=value7"), records);
    assertEquals("k0001", KvGrade.field(records.get(0), 7));
    assertEquals("value7", KvGrade.field(records.get(0), 9));
    assertEquals(150, KvGrade.tick(records.get(3)));
  }
}
