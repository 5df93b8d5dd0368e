package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.node.NodeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: client retries (the same request id sent again, to the same coordinator or, failing
 * over, to another one, as {@code KvClient} does) never apply a write twice. Observably: every
 * answer to one request id is the same answer; each replica logs at most one outcome per request
 * and each coordinator at most one; a create retried is not turned into "exists", an update or
 * delete retried after a later write does not undo that write; and the answers and stored values
 * follow the operations in order, as if each had been applied exactly once. Runs on 10 emulated
 * nodes with 5% of all datagrams lost, and in scenarios that lose a chosen reply.
 */
class RetryTest {

  private static final KvOp[] OPS = {KvOp.CREATE, KvOp.READ, KvOp.UPDATE, KvOp.DELETE, KvOp.PUT};
  /** Attempt timeouts a client may use: impatient, and KvClient's default for the local preset. */
  private static final long[] ATTEMPT_TIMEOUTS = {300, 2500};
  private static final int ATTEMPTS_PER_NODE = 3;

  static LongStream seeds() {
    return Seeds.upTo(10);
  }

  /** The scenarios with a chosen lost answer need fewer seeds than the random history. */
  static LongStream scenarioSeeds() {
    return Seeds.upTo(5);
  }

  /** One request as a client sent it: which nodes it asked. */
  private record Sent(long id, KvOp op, String key, Set<Address> coordinators) {
  }

  /**
   * Sends request {@code id} like KvClient: up to {@value #ATTEMPTS_PER_NODE} attempts per node,
   * the same id throughout, then the next node. Returns the first answer (null if none).
   */
  private static KvReply retryLikeKvClient(KvCluster c, long id, KvOp op, String key,
      String value, List<Address> nodes, long attemptTimeout, Set<Address> used) {
    for (Address node : nodes) {
      used.add(node);
      for (int attempt = 1; attempt <= ATTEMPTS_PER_NODE; attempt++) {
        c.send(node, id, op, key, value, Consistency.QUORUM);
        KvReply reply = c.await(id, c.net.now() + attemptTimeout);
        if (reply != null) {
          return reply;
        }
      }
    }
    return null;
  }

  /** What the operations applied once each, in order, give; null value = absent. */
  private static KvStatus expected(KvOp op, String held) {
    return switch (op) {
      case CREATE -> held == null ? KvStatus.OK : KvStatus.EXISTS;
      case READ, UPDATE, DELETE -> held == null ? KvStatus.NOT_FOUND : KvStatus.OK;
      case PUT -> KvStatus.OK;
    };
  }

  /** Every answer to each request is the same, and no node logged one request twice. */
  private static void assertAppliedOnce(KvCluster c, List<Sent> sent) {
    for (Sent s : sent) {
      String what = s.op() + " " + s.key() + " request " + s.id();
      List<KvReply> answers = c.repliesTo(s.id());
      for (KvReply r : answers) {
        assertEquals(answers.get(0), r, c.seedSays(what + ": answers differ " + answers));
      }
      Map<Address, Integer> perCoordinator = new TreeMap<>();
      for (NodeEvent.KvOutcome o : c.outcomesOf(s.id(), NodeEvent.Role.COORDINATOR)) {
        perCoordinator.merge(o.observer(), 1, Integer::sum);
      }
      for (Map.Entry<Address, Integer> e : perCoordinator.entrySet()) {
        assertEquals(1, e.getValue(), c.seedSays(what + ": outcomes at coordinator " + e));
        assertTrue(s.coordinators().contains(e.getKey()), c.seedSays(what + " logged by " + e));
      }
      if (s.coordinators().size() == 1) {
        assertEquals(1, perCoordinator.size(), c.seedSays(what + ": one coordinator outcome"));
      }
      Map<Address, Integer> perReplica = new TreeMap<>();
      for (NodeEvent.KvOutcome o : c.outcomesOf(s.id(), NodeEvent.Role.REPLICA)) {
        perReplica.merge(o.observer(), 1, Integer::sum);
      }
      for (Map.Entry<Address, Integer> e : perReplica.entrySet()) {
        assertEquals(1, e.getValue(), c.seedSays(what + ": outcomes at replica " + e));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void withFivePercentLossRetriesNeverApplyAWriteTwice(long seed) {
    lossyHistory(seed);
  }

  /**
   * Seeds that found a replica keeping a conditional write its quorum had refused (an update
   * answered "not found" that brought a deleted key back, a create answered "exists" that
   * overwrote the value); fixed by checking conditional writes before committing them.
   */
  @ParameterizedTest
  @ValueSource(longs = {3, 7, 9, 10, 12})
  void regressionRefusedWritesKeptByALaggingReplica(long seed) {
    lossyHistory(seed);
  }

  /**
   * 80 operations, one at a time, on 4 keys through random coordinators with 5% loss, each
   * retried like KvClient; checks every answer against the operations applied once each, in
   * order, and then that no request was applied or logged twice.
   */
  private static void lossyHistory(long seed) {
    KvCluster c = new KvCluster(seed, 10, RetryTest.class);
    RandomGenerator rnd = c.net.newRandom();
    List<String> keys = List.of("r-a", "r-b", "r-c", "r-d");
    Map<String, String> model = new HashMap<>(); // key -> value applied once, in order
    Set<String> uncertain = new HashSet<>(); // keys a request left undetermined
    List<Sent> sent = new ArrayList<>();
    c.net.faults().setDropProbability(0.05);
    for (int step = 0; step < 80; step++) {
      String key = keys.get(rnd.nextInt(keys.size()));
      KvOp op = OPS[rnd.nextInt(OPS.length)];
      String value = op.carriesValue() ? "s" + step : "";
      List<Address> order = new ArrayList<>(c.nodes);
      KvCluster.shuffle(order, rnd);
      long id = c.newRequestId();
      Set<Address> used = new HashSet<>();
      KvReply reply = retryLikeKvClient(c, id, op, key, value, order.subList(0, 3),
          ATTEMPT_TIMEOUTS[rnd.nextInt(ATTEMPT_TIMEOUTS.length)], used);
      sent.add(new Sent(id, op, key, used));
      String what = "step " + step + ": " + op + " " + key + " (request " + id + ")";
      assertNotNull(reply, c.seedSays(what + ": no answer after retries"));
      if (reply.status() == KvStatus.UNAVAILABLE) {
        uncertain.add(key); // may or may not have been applied; the model no longer knows
        continue;
      }
      if (!uncertain.contains(key)) {
        assertEquals(expected(op, model.get(key)), reply.status(),
            c.seedSays(what + ", after " + model.get(key) + ": " + reply));
        if (op == KvOp.READ && reply.status() == KvStatus.OK) {
          assertEquals(model.get(key), reply.value(), c.seedSays(what));
        }
      }
      if (reply.status() == KvStatus.OK && op != KvOp.READ) {
        model.put(key, op == KvOp.DELETE ? null : value);
      }
      if (reply.status() == KvStatus.OK && op == KvOp.PUT) {
        uncertain.remove(key); // an acknowledged put settles the key whatever came before
      }
    }
    c.net.runFor(3000); // late attempts, retransmits and duplicates land
    c.net.faults().setDropProbability(0);
    assertAppliedOnce(c, sent);
    for (String key : keys) {
      if (uncertain.contains(key)) {
        continue;
      }
      KvReply r = c.call(c.node(1), KvOp.READ, key, "", Consistency.ALL);
      String want = model.get(key);
      assertEquals(want == null ? KvStatus.NOT_FOUND : KvStatus.OK, r.status(),
          c.seedSays("final read of " + key + ": " + r));
      if (want != null) {
        assertEquals(want, r.value(), c.seedSays("final read of " + key));
      }
    }
  }

  /**
   * Sends request {@code id} to {@code coordinator} with its answer lost on the way back (as
   * when a reply datagram is dropped), and runs until the coordinator has logged its outcome.
   */
  private static void sendAndLoseTheAnswer(KvCluster c, Address coordinator, long id, KvOp op,
      String key, String value) {
    c.net.faults().block(List.of(coordinator), List.of(KvCluster.CLIENT));
    c.send(coordinator, id, op, key, value, Consistency.QUORUM);
    assertTrue(c.net.runUntil(() -> !c.outcomesOf(id, NodeEvent.Role.COORDINATOR).isEmpty(),
        c.net.now() + 2000, 1), c.seedSays(op + " " + key + " was not handled"));
    c.net.runFor(30); // every replica's outcome
    c.net.faults().heal();
    assertEquals(List.of(), c.repliesTo(id), c.seedSays("the answer was meant to be lost"));
  }

  /** Every owner holds {@code value} (null: a tombstone), and an ALL read agrees. */
  private static void assertEverywhere(KvCluster c, String key, String value, String what) {
    c.net.runFor(30);
    for (Address a : c.agreedOwners(key)) {
      var held = c.net.node(a).orElseThrow().kv().storage().get(key);
      assertEquals(value == null, held.tombstone(), c.seedSays(what + ": " + key + " at " + a));
      assertEquals(value == null ? "" : value, held.value(), c.seedSays(what + " at " + a));
    }
    KvReply r = c.call(c.node(1), KvOp.READ, key, "", Consistency.ALL);
    assertEquals(value == null ? KvStatus.NOT_FOUND : KvStatus.OK, r.status(),
        c.seedSays(what + ": " + r));
    assertEquals(value == null ? "" : value, r.value(), c.seedSays(what));
  }

  /** Retries {@code id} to the first coordinator, then fails over to a second: both answer ok. */
  private static void retryThenFailOver(KvCluster c, long id, KvOp op, String key, String value,
      Address first, Address second) {
    c.send(first, id, op, key, value, Consistency.QUORUM);
    KvReply again = c.answer(id);
    assertEquals(KvStatus.OK, again.status(), c.seedSays(op + " retried: " + again));
    c.send(second, id, op, key, value, Consistency.QUORUM);
    c.net.runFor(50);
    List<KvReply> answers = c.repliesTo(id);
    assertEquals(2, answers.size(), c.seedSays(op + " answers " + answers));
    assertEquals(KvStatus.OK, answers.get(1).status(), c.seedSays(op + " failed over: " + answers));
    assertEquals(3, c.outcomesOf(id, NodeEvent.Role.REPLICA).size(),
        c.seedSays(op + ": one replica outcome per owner, whatever the retries"));
    assertEquals(2, c.outcomesOf(id, NodeEvent.Role.COORDINATOR).size(),
        c.seedSays(op + ": one outcome per coordinator asked"));
  }

  /**
   * A retry that reaches the coordinator while the request still runs is not started again: one
   * answer, one coordinator outcome, one write per replica.
   */
  @ParameterizedTest
  @MethodSource("scenarioSeeds")
  void aRetryOfARequestStillRunningIsNotStartedAgain(long seed) {
    KvCluster c = new KvCluster(seed, 5, RetryTest.class);
    assertTrue(c.awaitConverged(), c.seedSays("converged"));
    long id = c.newRequestId();
    c.send(c.node(1), id, KvOp.PUT, "running", "v", Consistency.QUORUM);
    c.send(c.node(1), id, KvOp.PUT, "running", "v", Consistency.QUORUM);
    c.net.runFor(200);
    List<KvReply> answers = c.repliesTo(id);
    assertEquals(1, answers.size(), c.seedSays("answers " + answers));
    assertEquals(KvStatus.OK, answers.get(0).status(), c.seedSays("answer " + answers));
    assertEquals(1, c.outcomesOf(id, NodeEvent.Role.COORDINATOR).size(), c.seedSays("started"));
    assertEquals(3, c.outcomesOf(id, NodeEvent.Role.REPLICA).size(), c.seedSays("written"));
    assertEquals(1, c.net.node(c.node(1)).orElseThrow().counters().get("kv.coordinator.repeats"),
        c.seedSays("the retry was seen as a repeat"));
  }

  @ParameterizedTest
  @MethodSource("scenarioSeeds")
  void anUpdateRetriedAfterALaterWriteDoesNotUndoIt(long seed) {
    retriedAfterALaterWrite(seed, KvOp.UPDATE, "a", KvOp.PUT, "b");
  }

  @ParameterizedTest
  @MethodSource("scenarioSeeds")
  void aDeleteRetriedAfterARecreateDoesNotDeleteAgain(long seed) {
    retriedAfterALaterWrite(seed, KvOp.DELETE, "", KvOp.CREATE, "again");
  }

  /**
   * Client A's {@code op} on an existing key takes effect but its answer is lost; client B then
   * writes {@code laterValue} with {@code later}; A retries (same coordinator, then failing over
   * to another). The retries are answered ok and B's write survives everywhere.
   */
  private static void retriedAfterALaterWrite(long seed, KvOp op, String value, KvOp later,
      String laterValue) {
    KvCluster c = new KvCluster(seed, 10, RetryTest.class);
    RandomGenerator rnd = c.net.newRandom();
    String k = c.createSharingOwners(rnd, 1, "v0").get(0); // held by all three owners
    List<Address> others = c.nonOwners(k, rnd);
    long a = c.newRequestId();
    sendAndLoseTheAnswer(c, others.get(0), a, op, k, value);
    KvReply seen = c.call(others.get(1), KvOp.READ, k, "");
    assertEquals(op == KvOp.DELETE ? "" : value, seen.value(), c.seedSays(op + " took effect"));
    KvReply b = c.call(others.get(1), later, k, laterValue);
    assertEquals(KvStatus.OK, b.status(), c.seedSays("the later " + later + ": " + b));
    retryThenFailOver(c, a, op, k, value, others.get(0), others.get(2));
    assertEverywhere(c, k, laterValue, "the later " + later + " survives the retried " + op);
  }

  @ParameterizedTest
  @MethodSource("scenarioSeeds")
  void aCreateRetriedIsNotTurnedIntoExists(long seed) {
    KvCluster c = new KvCluster(seed, 10, RetryTest.class);
    RandomGenerator rnd = c.net.newRandom();
    String k = "fresh:" + rnd.nextInt(1_000_000);
    List<Address> others = c.nonOwners(k, rnd);
    long a = c.newRequestId();
    sendAndLoseTheAnswer(c, others.get(0), a, KvOp.CREATE, k, "x");
    retryThenFailOver(c, a, KvOp.CREATE, k, "x", others.get(0), others.get(1));
    assertEverywhere(c, k, "x", "the created value");
  }
}
