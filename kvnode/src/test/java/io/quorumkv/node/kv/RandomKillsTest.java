package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import java.util.ArrayList;
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
 * Goal: no acknowledged write is lost across random failures. Each of 50 seeds runs a 10-node
 * emulated cluster through rounds of one or two random crashes or restarts (a restarted node comes
 * back empty), or a dead node's return, never more than two at once, so no key ever has more than
 * 2 replicas down or empty before stabilization completes; writes go on from random coordinators
 * while the cluster detects the failure and stabilizes. After each round, once the survivors agree
 * and stabilization is quiet, every key must be on exactly its 3 current owners (and every stored
 * record at an owner), and every key must read back its last acknowledged value, or stay deleted.
 * A write that timed out may or may not have happened, so such a key may read either value until
 * the next acknowledged write settles it.
 */
class RandomKillsTest {

  private static final int KEYS = 60;
  private static final int ROUNDS = 3;
  private static final int WRITES_PER_ROUND = 12;
  private static final int MIN_LIVE = 6;

  static LongStream seeds() {
    return Seeds.upTo(50);
  }

  /** What the client knows of each key: the values it may hold now (null: deleted). */
  private static final class Model {
    final Map<String, Set<String>> possible = new TreeMap<>();

    void settle(String key, String value) {
      Set<String> one = new HashSet<>();
      one.add(value);
      possible.put(key, one);
    }

    /** Whether {@code key} certainly holds a value (live) or certainly is deleted (not live). */
    Boolean certainlyLive(String key) {
      Set<String> p = possible.get(key);
      return p.size() != 1 ? null : !p.contains(null);
    }

    List<String> keys(boolean live) {
      List<String> out = new ArrayList<>();
      for (String k : possible.keySet()) {
        if (Boolean.valueOf(live).equals(certainlyLive(k))) {
          out.add(k);
        }
      }
      return out;
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void noAcknowledgedWriteIsLost(long seed) {
    rounds(seed);
  }

  /**
   * Seeds where a coordinator that had not heard of a death yet wrote to the dead replica and two
   * live ones, after the others' stabilization: the write stayed on two owners (136), a delete
   * never reached the new owner, which kept the value (241). Fixed by the coordinator's hints.
   */
  @ParameterizedTest
  @ValueSource(longs = {136, 241})
  void regressionWritesThroughAStaleRing(long seed) {
    rounds(seed);
  }

  private static void rounds(long seed) {
    KvCluster c = new KvCluster(seed, 10, RandomKillsTest.class);
    RandomGenerator rnd = c.net.newRandom();
    Model model = new Model();
    for (String k : c.load("rk" + seed + "-", KEYS)) {
      model.settle(k, "v" + k.substring(k.lastIndexOf('-') + 1));
    }
    List<Address> dead = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      String event = failSomething(c, rnd, dead);
      for (int w = 0; w < WRITES_PER_ROUND; w++) {
        write(c, rnd, model, "r" + round + "w" + w);
        c.net.runFor(rnd.nextInt(300));
      }
      String what = "round " + round + " (" + event + ")";
      assertTrue(c.awaitConverged(), c.seedSays(what + ": survivors did not converge"));
      // A record may sit off its owners until the next orphan sweep (5 s): wait for it too.
      assertTrue(c.net.runUntil(() -> c.quiet()
              && c.misplaced(model.keys(true), model.keys(false)) == null && c.strays() == null,
          c.net.now() + 20_000, 50), c.seedSays(what + ": "
          + c.misplaced(model.keys(true), model.keys(false)) + "; " + c.strays()));
      assertReadsBack(c, rnd, model, what);
    }
  }

  /**
   * One round's failure, on random nodes: crash one or two, restart one or two (they come back
   * empty before anyone noticed), or bring a dead one back and crash another. At most two nodes
   * are down or empty at once, and at least {@value #MIN_LIVE} stay up. Returns what it did.
   */
  private static String failSomething(KvCluster c, RandomGenerator rnd, List<Address> dead) {
    List<Address> live = new ArrayList<>(c.net.liveAddresses());
    KvCluster.shuffle(live, rnd);
    List<String> done = new ArrayList<>();
    int choice = rnd.nextInt(4);
    if (choice == 3 && !dead.isEmpty()) {
      Address back = dead.remove(rnd.nextInt(dead.size()));
      c.net.restart(back);
      done.add("back " + back);
    }
    int victims = choice == 3 ? 1 : 1 + rnd.nextInt(2);
    for (int i = 0; i < victims; i++) {
      Address v = live.get(i);
      if (choice == 2 || c.net.liveAddresses().size() <= MIN_LIVE) {
        c.net.restart(v);
        done.add("restart " + v);
      } else {
        c.net.crash(v);
        dead.add(v);
        done.add("crash " + v);
      }
    }
    return String.join(", ", done);
  }

  /** One write on a random key through a random live node, noted in the model. */
  private static void write(KvCluster c, RandomGenerator rnd, Model model, String value) {
    List<String> keys = new ArrayList<>(model.possible.keySet());
    String key = rnd.nextInt(8) == 0 ? "new-" + value : keys.get(rnd.nextInt(keys.size()));
    model.possible.computeIfAbsent(key, k -> {
      Set<String> absent = new HashSet<>();
      absent.add(null);
      return absent;
    });
    KvOp op = switch (rnd.nextInt(6)) {
      case 0 -> KvOp.DELETE;
      case 1 -> KvOp.CREATE;
      case 2 -> KvOp.UPDATE;
      default -> KvOp.PUT;
    };
    List<Address> live = c.net.liveAddresses();
    KvReply r = c.call(live.get(rnd.nextInt(live.size())), op, key, op == KvOp.DELETE ? "" : value);
    String written = op == KvOp.DELETE ? null : value;
    if (r.status() == KvStatus.OK) {
      model.settle(key, written);
    } else if (r.status() == KvStatus.UNAVAILABLE) {
      model.possible.get(key).add(written); // may have been stored at some replicas
    }
    // A refusal (exists, not found) stores nothing anywhere: the key keeps what it had.
  }

  private static void assertReadsBack(KvCluster c, RandomGenerator rnd, Model model, String what) {
    List<Address> live = c.net.liveAddresses();
    for (Map.Entry<String, Set<String>> e : model.possible.entrySet()) {
      KvReply r = c.call(live.get(rnd.nextInt(live.size())), KvOp.READ, e.getKey(), "");
      String got = r.status() == KvStatus.OK ? r.value()
          : r.status() == KvStatus.NOT_FOUND ? null : "<" + r.status() + ">";
      assertTrue(e.getValue().contains(got), c.seedSays(what + ": " + e.getKey() + " read "
          + got + ", acknowledged " + e.getValue()));
    }
  }
}
