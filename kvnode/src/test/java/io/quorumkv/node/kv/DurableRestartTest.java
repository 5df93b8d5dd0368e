package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.node.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: a node with durable storage that crashes and comes back (the emulator hands its storage
 * to its next life, {@code restartDurable}) serves its own copies at once, before anyone could
 * refill it; its hybrid clock resumes after the versions it stored, even when its wall clock now
 * reads 30 s earlier, so a write it stamps after the restart beats what it held; and its new
 * generation keeps the others' gossip about its previous life from marking it suspect or dead,
 * whether it came back before the others noticed the crash or after they had declared it dead.
 * In the end every key is on exactly its owners.
 */
class DurableRestartTest {

  static Stream<Arguments> cases() {
    return Seeds.upTo(3).boxed().flatMap(seed -> Stream.of(
        Arguments.of(seed, false), Arguments.of(seed, true)));
  }

  @ParameterizedTest(name = "seed {0}, after declared dead: {1}")
  @MethodSource("cases")
  void aRestartedDurableNodeServesWhatItHeldAndStaysAlive(long seed, boolean afterDeath) {
    KvCluster c = new KvCluster(seed, 5, DurableRestartTest.class);
    c.net.runFor(31_000); // so that a clock 30 s behind still reads a time after the epoch
    List<String> keys = c.load("key", 200, KvOp.PUT);
    assertTrue(c.net.runUntil(() -> c.quiet() && c.misplaced(keys) == null,
        c.net.now() + 10_000, 10), c.seedSays("not settled: " + c.misplaced(keys)));
    Address victim = c.node(3);
    List<String> owned = c.ownedBy(victim, keys);
    List<KeyRecord> held = c.net.node(victim).orElseThrow().kv().storage().scan(null, 1000);

    c.net.crash(victim);
    List<Address> others = new ArrayList<>(c.nodes);
    others.remove(victim);
    if (afterDeath) {
      assertTrue(c.net.runUntil(() -> c.converged(others), c.net.now() + 10_000, 10),
          c.seedSays("the crash was not detected"));
    } else {
      c.net.runFor(200); // back before anyone noticed
    }
    c.net.setClockOffset(victim, -30_000);
    Node back = c.net.restartDurable(victim);
    assertEquals(held, back.kv().storage().scan(null, 1000), c.seedSays("storage handed on"));

    // It coordinates once it has the member list (a sync with a seed, a few milliseconds).
    assertTrue(c.net.runUntil(back::memberListSynced, c.net.now() + 5_000, 1),
        c.seedSays("the restarted node never received the member list"));
    // A write it stamps now must beat the version it held, although its wall clock is behind.
    String first = owned.get(0);
    KeyRecord before = back.kv().storage().get(first);
    KvReply put = c.call(victim, KvOp.PUT, first, "after-restart", Consistency.ONE);
    assertEquals(KvStatus.OK, put.status(), c.seedSays("put via the restarted node: " + put));
    assertTrue(back.kv().storage().get(first).version().isNewerThan(before.version()),
        c.seedSays("a write stamped after the restart lost to the version held before: "
            + before + " then " + back.kv().storage().get(first)));
    for (String k : owned.subList(1, owned.size())) {
      KvReply r = c.call(victim, KvOp.READ, k, "", Consistency.ONE);
      assertEquals(KvStatus.OK, r.status(), c.seedSays("its own copy of " + k + ": " + r));
      assertEquals("v" + k.substring(3), r.value(), c.seedSays("its own copy of " + k));
    }

    assertTrue(c.awaitConverged(), c.seedSays("the restarted node was not taken back"));
    long until = c.net.now() + 10_000;
    while (c.net.now() < until) {
      c.net.runFor(100);
      assertTrue(c.converged(c.nodes),
          c.seedSays("the restarted node was suspected or removed again"));
    }
    assertTrue(c.net.runUntil(() -> c.quiet() && c.misplaced(keys) == null,
        c.net.now() + 10_000, 10), c.seedSays("not settled: " + c.misplaced(keys)));
    assertNull(c.strays(), c.seedSays("a stray copy"));
    KvReply all = c.call(c.node(1), KvOp.READ, first, "", Consistency.ALL);
    assertEquals("after-restart", all.value(), c.seedSays("the newest write wins everywhere"));
  }
}
