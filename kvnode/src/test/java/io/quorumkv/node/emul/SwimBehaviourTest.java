package io.quorumkv.node.emul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Gossip;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.NodeEvent.MembershipChange;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SWIM behaviours beyond the seed's scenarios, each on a 5-node emulated cluster with small random
 * delays: graceful leave, refuting a false suspicion, healing a one-way partition, the detection
 * bound of the local preset, and garbage input. Failures name the seed; rerun with the same one.
 */
class SwimBehaviourTest {

  private static final NodeConfig CONFIG = NodeConfig.local();
  private static final List<Address> NODES = List.of(
      addr(7001), addr(7002), addr(7003), addr(7004), addr(7005));
  private static final Address N1 = NODES.get(0);
  private static final Address N3 = NODES.get(2);

  private static Address addr(int port) {
    return new Address("127.0.0.1", port);
  }

  /** A converged 5-node cluster: every node sees all five alive. */
  private static EmulatedNetwork cluster(long seed) {
    EmulatedNetwork net = new EmulatedNetwork(seed, CONFIG);
    net.faults().setDelay(1, 5);
    for (Address a : NODES) {
      net.addNode(a, NODES.subList(0, 3));
    }
    assertTrue(net.runUntil(() -> allSee(net, NODES, NODES), 10_000, 50),
        "seed " + seed + ": cluster did not converge");
    return net;
  }

  private static MemberStatus viewOf(EmulatedNetwork net, Address observer, Address subject) {
    Node node = net.node(observer).orElseThrow();
    for (MemberStatus m : node.members(net.now())) {
      if (m.address().equals(subject)) {
        return m;
      }
    }
    return null;
  }

  /** Every observer sees exactly {@code alive} as alive members and no suspect. */
  private static boolean allSee(EmulatedNetwork net, List<Address> observers, List<Address> alive) {
    for (Address o : observers) {
      List<Address> seen = new ArrayList<>();
      for (MemberStatus m : net.node(o).orElseThrow().members(net.now())) {
        if (m.state() == MemberState.SUSPECT) {
          return false;
        }
        if (m.state() == MemberState.ALIVE) {
          seen.add(m.address());
        }
      }
      if (!seen.equals(alive)) {
        return false;
      }
    }
    return true;
  }

  private static long removals(EmulatedNetwork net, Address subject) {
    return net.events().stream()
        .map(TimedEvent::event)
        .filter(e -> e instanceof NodeEvent.Membership m && m.change() == MembershipChange.REMOVED
            && m.subject().equals(subject))
        .count();
  }

  private static List<Address> without(Address gone) {
    return NODES.stream().filter(a -> !a.equals(gone)).toList();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void gracefulLeaveIsSeenAsLeftAndRemovedOnceWithoutSuspicion(long seed) {
    EmulatedNetwork net = cluster(seed);
    long before = removals(net, N3);
    net.leave(N3);
    List<Address> rest = without(N3);
    // The leave is announced to every member directly: one delivery delay, not a detection.
    net.runFor(50);
    for (Address o : rest) {
      assertEquals(MemberState.LEFT, viewOf(net, o, N3).state(), "seed " + seed + " at " + o);
      assertEquals(0, net.node(o).orElseThrow().counters().get("swim.suspected"),
          "seed " + seed + ": nobody suspected anyone");
    }
    net.runFor(5_000);
    assertEquals(before + 4, removals(net, N3), "seed " + seed + ": one removal per survivor");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void aFalseSuspicionIsRefutedAndRemovesNobody(long seed) {
    EmulatedNetwork net = cluster(seed);
    // Impersonate node 1 and tell node 2 that node 3 is suspect; it spreads from there.
    MemberUpdate lie = new MemberUpdate(N3, viewOf(net, N1, N3).generation(), 0,
        MemberState.SUSPECT);
    net.send(N1, NODES.get(1), Envelope.of(N1, 0, new Gossip(List.of(lie))));
    net.runFor(CONFIG.maxSuspicionTimeoutMillis(5) * 3);
    assertEquals(0, removals(net, N3), "seed " + seed + ": node 3 was declared dead");
    assertTrue(allSee(net, NODES, NODES), "seed " + seed + ": everyone alive");
    for (Address o : NODES) {
      assertEquals(1, viewOf(net, o, N3).incarnation(),
          "seed " + seed + ": " + o + " knows the refutation");
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void aOneWayPartitionHealsIntoOneMembership(long seed) {
    EmulatedNetwork net = cluster(seed);
    // Node 1 can hear everyone but nobody hears node 1: the others must declare it dead.
    net.faults().block(List.of(N1), without(N1));
    assertTrue(net.runUntil(() -> allSee(net, without(N1), without(N1)),
        net.now() + 2 * CONFIG.detectionBoundMillis(5), 50), "seed " + seed + ": not detected");
    net.faults().heal();
    long within = CONFIG.reconnectIntervalMillis() * 3 + CONFIG.syncIntervalMillis() * 2
        + CONFIG.detectionBoundMillis(5);
    assertTrue(net.runUntil(() -> allSee(net, NODES, NODES), net.now() + within, 50),
        "seed " + seed + ": no single membership " + within + " ms after healing");
  }

  /**
   * Two islands that formed apart never knew of each other, so neither syncs with the other as
   * a dead member: only the seeds can bring them together. Found by the chaos run on real
   * processes (scripts/chaos.sh, seed 11): on a loaded machine nodes 2 and 5 booted first and
   * joined each other through seed 2, nodes 1, 3 and 4 joined through seed 1, and the two
   * islands stayed apart.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void islandsThatFormedApartBecomeOneThroughTheirSeeds(long seed) {
    EmulatedNetwork net = new EmulatedNetwork(seed, CONFIG);
    net.faults().setDelay(1, 5);
    List<Address> small = List.of(NODES.get(1), NODES.get(4));
    List<Address> large = List.of(N1, N3, NODES.get(3));
    net.faults().partition(small, large);
    for (Address a : NODES) {
      net.addNode(a, NODES.subList(0, 3));
    }
    assertTrue(net.runUntil(() -> allSee(net, small, small) && allSee(net, large, large),
        10_000, 50), "seed " + seed + ": the islands did not form");
    net.faults().heal();
    long within = CONFIG.reconnectIntervalMillis() * 2 + CONFIG.syncIntervalMillis() * 2;
    assertTrue(net.runUntil(() -> allSee(net, NODES, NODES), net.now() + within, 50),
        "seed " + seed + ": still two islands " + within + " ms after they could talk");
    assertEquals(0, removals(net, N1), "seed " + seed + ": nobody was removed");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void aCrashIsDeclaredDeadByEverySurvivorWithinTheConfiguredBound(long seed) {
    EmulatedNetwork net = cluster(seed);
    long crashedAt = net.now();
    net.crash(N3);
    long bound = CONFIG.detectionBoundMillis(5);
    net.runFor(bound);
    for (Address o : without(N3)) {
      assertEquals(MemberState.DEAD, viewOf(net, o, N3).state(),
          "seed " + seed + ": " + o + " after " + (net.now() - crashedAt) + " ms");
      // Each survivor logs the suspicion once, and before the removal (SWIM's suspect -> dead).
      List<String> logged = net.events().stream()
          .filter(t -> t.timeMillis() >= crashedAt && t.event().observer().equals(o))
          .map(t -> t.event() instanceof NodeEvent.Suspected s && s.subject().equals(N3)
              ? "suspected"
              : t.event() instanceof NodeEvent.Membership m && m.subject().equals(N3)
                  ? m.change().name().toLowerCase() : null)
          .filter(e -> e != null)
          .toList();
      assertEquals(List.of("suspected", "removed"), logged, "seed " + seed + " at " + o);
    }
    assertEquals(4, removals(net, N3), "seed " + seed);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void garbageDatagramsAreCountedAndChangeNothing(long seed) {
    EmulatedNetwork net = cluster(seed);
    SplittableRandom random = new SplittableRandom(seed);
    Address stranger = addr(9999);
    for (int i = 0; i < 500; i++) {
      byte[] junk = new byte[random.nextInt(0, 300)];
      random.nextBytes(junk);
      net.sendRaw(stranger, NODES.get(i % NODES.size()), junk);
    }
    net.runFor(3_000);
    assertTrue(allSee(net, NODES, NODES), "seed " + seed);
    long rejected = 0;
    for (Address a : NODES) {
      for (var e : net.node(a).orElseThrow().counters().snapshot().entrySet()) {
        if (e.getKey().startsWith("wire.rejected.")) {
          rejected += e.getValue();
        }
      }
    }
    assertEquals(500, rejected, "seed " + seed + ": every junk datagram counted once");
  }
}
