package io.quorumkv.node.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.node.check.Checker.Final;
import io.quorumkv.node.check.Checker.Interval;
import io.quorumkv.node.check.Checker.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checker on hand-made histories: a correct history passes, and each kind of wrong answer
 * is caught by its property and only by it.
 */
class CheckerTest {

  private static final Address NODE = new Address("127.0.0.1", 7001);
  private static final Address CLIENT = new Address("127.0.0.1", 9100);
  private static final Consistency Q = Consistency.QUORUM;

  private final History h = new History();

  private static Version v(long t) {
    return new Version(t, CLIENT);
  }

  /** An operation invoked at {@code from} and answered at {@code to}. */
  private int op(KvOp op, String value, Consistency c, long from, long to, KvStatus status,
      String read, Version version) {
    int id = h.invoke(0, op, "k", value, c, NODE, from);
    h.complete(id, new KvReply(status, read, version, ""), to);
    return id;
  }

  private int put(String value, long from, long to, long version) {
    return op(KvOp.PUT, value, Q, from, to, KvStatus.OK, "", v(version));
  }

  private int read(Consistency c, long from, long to, String value, long version) {
    return op(KvOp.READ, "", c, from, to, value.isEmpty() ? KvStatus.NOT_FOUND : KvStatus.OK,
        value, version == 0 ? Version.ZERO : v(version));
  }

  private List<String> properties(Map<String, Final> finals, List<Interval> unsafe,
      boolean clocksAgree) {
    return new Checker(h.ops()).check(finals, unsafe, clocksAgree).stream()
        .map(Violation::property).toList();
  }

  private List<String> properties() {
    return properties(Map.of("k", new Final(true, "b", v(20))), List.of(), true);
  }

  @Test
  void aCorrectHistoryPasses() {
    put("a", 0, 5, 1);
    read(Q, 6, 8, "a", 1);
    put("b", 10, 15, 20);
    read(Consistency.ALL, 16, 18, "b", 20);
    op(KvOp.UPDATE, "x", Q, 19, 22, KvStatus.NOT_FOUND, "", Version.ZERO); // refused
    int pending = h.invoke(1, KvOp.PUT, "k", "c", Q, NODE, 30); // never answered
    assertEquals(List.of(), properties());
    assertEquals(List.of(), properties(Map.of("k", new Final(true, "c", v(40))), List.of(),
        true), "a final value from a write whose outcome is unknown is fine: #" + pending);
  }

  @Test
  void aValueNoWriteWroteIsAPhantom() {
    put("b", 0, 5, 20);
    read(Q, 6, 8, "zz", 20);
    assertEquals(List.of(Checker.PHANTOM), properties());
  }

  @Test
  void theValueOfARefusedWriteIsAPhantom() {
    put("b", 0, 5, 20);
    op(KvOp.CREATE, "c", Q, 6, 8, KvStatus.EXISTS, "", Version.ZERO);
    read(Consistency.ONE, 9, 10, "c", 30);
    assertEquals(List.of(Checker.PHANTOM), properties());
  }

  @Test
  void anAcknowledgedValueWithAnotherVersionIsAPhantom() {
    put("b", 0, 5, 20);
    read(Consistency.ONE, 6, 8, "b", 19); // the same write under a second version
    assertEquals(List.of(Checker.PHANTOM), properties());
  }

  @Test
  void aTombstoneNoDeleteWroteIsAPhantom() {
    put("b", 0, 5, 20);
    op(KvOp.DELETE, "", Q, 6, 8, KvStatus.NOT_FOUND, "", Version.ZERO); // refused
    read(Consistency.ONE, 9, 10, "", 21);
    assertEquals(List.of(Checker.PHANTOM), properties());
  }

  @Test
  void aFinalRecordOlderThanAnAcknowledgedWriteIsALostWrite() {
    put("a", 0, 5, 1);
    put("b", 10, 15, 20);
    assertEquals(List.of(Checker.LOST), properties(Map.of("k", new Final(true, "a", v(1))),
        List.of(), true));
    assertEquals(List.of(Checker.LOST), properties(Map.of(), List.of(), true), "absent");
  }

  @Test
  void anAcknowledgedDeleteStaysDeleted() {
    put("a", 0, 5, 1);
    op(KvOp.DELETE, "", Q, 6, 8, KvStatus.OK, "", v(7));
    assertEquals(List.of(), properties(Map.of("k", new Final(false, "", v(7))), List.of(),
        true));
    assertEquals(List.of(Checker.LOST), properties(Map.of("k", new Final(true, "a", v(1))),
        List.of(), true), "the deleted value came back");
  }

  @Test
  void aQuorumReadAfterAQuorumWriteMustSeeItUnlessUnsafe() {
    put("a", 0, 5, 1);
    put("b", 10, 15, 20);
    read(Q, 16, 18, "a", 1);
    assertEquals(List.of(Checker.STALE), properties());
    assertEquals(List.of(), properties(Map.of("k", new Final(true, "b", v(20))),
        List.of(new Interval(12, 14, "partition")), true));
  }

  @Test
  void readsAndWritesAtOneMayMissEachOther() {
    put("a", 0, 5, 1);
    op(KvOp.PUT, "b", Consistency.ONE, 10, 15, KvStatus.OK, "", v(20));
    read(Q, 16, 18, "a", 1); // 1 + 2 replicas do not overlap 3
    read(Consistency.ONE, 19, 22, "a", 1); // not even after ALL, once owners change
    assertEquals(List.of(), properties());
    put("c", 23, 25, 30);
    read(Consistency.ALL, 26, 28, "b", 20); // ALL after QUORUM overlaps
    assertEquals(List.of(Checker.STALE), properties(Map.of("k", new Final(true, "c", v(30))),
        List.of(), true));
  }

  @Test
  void whenClocksAgreeALaterWriteWins() {
    put("b", 0, 5, 20);
    put("a", 10, 15, 2); // began after the first completed, yet older
    List<String> found = properties(Map.of("k", new Final(true, "b", v(20))), List.of(), true);
    assertEquals(List.of(Checker.ORDER), found);
    assertEquals(List.of(), properties(Map.of("k", new Final(true, "b", v(20))), List.of(),
        false), "not claimed when the clocks disagree");
  }

  @Test
  void theContextIsTheKeysOperationsAroundTheViolation() {
    put("a", 0, 5, 1);
    put("b", 100, 105, 20);
    read(Q, 106, 108, "a", 1);
    put("c", 5_000, 5_005, 30);
    Checker checker = new Checker(h.ops());
    Violation stale = checker.check(Map.of("k", new Final(true, "c", v(30))), List.of(), true)
        .get(0);
    assertEquals(List.of(0, 1, 2), checker.context(stale, 100).stream().map(History.Op::id)
        .toList());
  }
}
