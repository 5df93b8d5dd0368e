package io.quorumkv.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.node.check.Checker;
import io.quorumkv.node.check.Checker.Interval;
import io.quorumkv.node.check.History;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The failure report, on a hand-made history with a stale quorum read: the violation, its key's
 * history with the offending operations marked, the nemesis of that time, the rerun command.
 */
class ChaosResultTest {

  private static final Address NODE = new Address("127.0.0.1", 7001);
  private static final Address CLIENT = new Address("127.0.0.1", 9000);

  @Test
  void aStaleReadIsReportedWithItsHistoryAndTheNemesisAroundIt() {
    History h = new History();
    Version v1 = new Version(1_000, CLIENT);
    Version v2 = new Version(2_000, CLIENT);
    int w1 = h.invoke(0, KvOp.PUT, "k0", "c0.1", Consistency.QUORUM, NODE, 100);
    h.complete(w1, new KvReply(KvStatus.OK, "", v1, ""), 110);
    int w2 = h.invoke(0, KvOp.PUT, "k0", "c0.2", Consistency.QUORUM, NODE, 200);
    h.complete(w2, new KvReply(KvStatus.OK, "", v2, ""), 210);
    int r = h.invoke(1, KvOp.READ, "k0", "", Consistency.QUORUM, NODE, 300);
    h.complete(r, new KvReply(KvStatus.OK, "c0.1", v1, ""), 310);
    Map<String, Checker.Final> finals = Map.of("k0", new Checker.Final(true, "c0.2", v2));
    List<Interval> unsafe = List.of(new Interval(5_000, 6_000, "two nodes disrupted (later)"));
    List<Checker.Violation> violations = new Checker(h.ops()).check(finals, unsafe, false);
    assertEquals(1, violations.size(), violations.toString());
    ChaosResult result = new ChaosResult(7, 10_000,
        List.of(new Nemesis.Event(120, "kill node 2 (127.0.0.1:7002, pid 1) with SIGKILL"),
            new Nemesis.Event(9_000, "restart node 2 (pid 2), empty, after 8.9 s down")),
        Map.of(Nemesis.Kind.KILL, 1, Nemesis.Kind.RESTART, 1), unsafe, h.ops(), violations,
        List.of(), Path.of("run", "chaos"), List.of());
    assertFalse(result.ok());
    String report = String.join("\n", result.report("scripts/chaos.sh --seed 7"));
    assertTrue(report.contains("VIOLATION " + Checker.STALE + " on key k0"), report);
    assertTrue(report.contains("   * #1 c0 put k0=c0.2"), "the write is marked:\n" + report);
    assertTrue(report.contains("   * #2 c1 read k0"), "the read is marked:\n" + report);
    assertTrue(report.contains("     #0 c0 put k0=c0.1"), "context unmarked:\n" + report);
    assertTrue(report.contains("t+0.1s kill node 2"), "the nemesis then:\n" + report);
    assertFalse(report.contains("restart node 2"), "not the nemesis long after:\n" + report);
    assertFalse(report.contains("two nodes disrupted (later)"), report);
    assertTrue(report.contains("rerun: scripts/chaos.sh --seed 7"), report);
    assertEquals("operations: 3 (3 ok, 0 fail, 0 unknown)", result.summary().get(0));
  }
}
