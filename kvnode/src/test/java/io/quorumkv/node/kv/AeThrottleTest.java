package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.AeDigest;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.node.Counters;
import io.quorumkv.node.KvConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Anti-entropy yields to request load: while a node handles at least
 * {@link RequestLoad#BUSY_REQUESTS_PER_SECOND} requests a second, its walks go at
 * {@link WalkPace#BUSY_KEYS_PER_SECOND}, and a session still completes and repairs within the
 * time its walks take at that pace; without load they go at {@link WalkPace#KEYS_PER_SECOND}.
 * Deterministic: two nodes over {@link AePair}, on simulated time, with no random but the
 * nodes' own fixed seeds.
 */
class AeThrottleTest {

  private static final KvConfig CONFIG = KvConfig.local();
  private static final long START = 1_000_000_000_000L;
  /** Twice the threshold, so that every window is busy whatever its edges. */
  private static final int LOAD = 2 * RequestLoad.BUSY_REQUESTS_PER_SECOND;
  private static final String MISSED = "k01234";

  /**
   * Two replicas of {@code keys} keys, node 0 missing {@link #MISSED}. Node 0 begins its first
   * session at {@code START}; node 1 none for half an interval at least ({@link AePair#inSync}).
   */
  private static AePair replicas(int keys) {
    AePair p = AePair.inSync(CONFIG, START, keys);
    p.stores[0].remove(MISSED);
    return p;
  }

  /** When node {@code i} sent its first digest: its hash walk was done then. */
  private static long firstDigestAt(AePair p, int i) {
    return p.sent.stream().filter(s -> s.from() == i && s.message() instanceof AeDigest)
        .findFirst().orElseThrow().atMillis();
  }

  /** When node 1 pushed the record node 0 missed. */
  private static long repairedAt(AePair p) {
    return p.sent.stream().filter(s -> s.from() == 1 && s.message() instanceof Handoff)
        .findFirst().orElseThrow().atMillis();
  }

  /**
   * 2,000 keys, walked by node 1 once node 0's digest arrives (a page at once, then at the
   * pace), with and without load: 744 ms busy, 74 ms idle. The session's three walks in a row
   * (node 0's hash, node 1's, then both collects at once) bound the repair.
   */
  @ParameterizedTest(name = "loaded {0}")
  @ValueSource(booleans = {true, false})
  void theWalkGoesAtTheBusyPaceUnderLoadAndAtFullPaceWithout(boolean loaded) {
    int keys = 2_000;
    AePair p = replicas(keys);
    if (loaded) {
      p.load(LOAD, START - RequestLoad.WINDOW_MILLIS); // busy for a window already
    }
    int pace = loaded ? WalkPace.BUSY_KEYS_PER_SECOND : WalkPace.KEYS_PER_SECOND;
    long walkMillis = keys * 1000L / pace;
    assertTrue(p.runUntil(() -> p.stores[0].get(MISSED).isLive(), START + 10 * walkMillis),
        "repaired; " + p.counters[0].snapshot() + " / " + p.counters[1].snapshot());
    assertTrue(repairedAt(p) - START <= 3 * walkMillis, "repaired after "
        + (repairedAt(p) - START) + " ms, not within three walks at " + pace + " keys/s");

    long took = firstDigestAt(p, 1) - firstDigestAt(p, 0);
    long expected = (keys - Stabilizer.PLAN_PAGE) * 1000L / pace;
    assertTrue(took >= expected - 5 && took <= expected + expected / 10 + 5,
        "node 1's walk took " + took + " ms, expected about " + expected);
    for (Counters c : p.counters) {
      assertEquals(0, c.get("kv.ae.timeouts"), c.snapshot().toString());
      assertEquals(loaded, c.get("kv.ae.throttled") > 0, c.snapshot().toString());
    }
  }

  /**
   * 50,000 keys under load: a walk takes 25 s at the busy pace, longer than the deadline a full
   * pace gives a stage (10 s plus 12.5 s), and still the session ends in a repair, without a
   * timeout. Each side walks twice, the two hash walks one after the other, and node 1's own
   * session (begun meanwhile) shares the pace of both nodes: within six walks, no sooner than two.
   */
  @Test
  void aThrottledSessionOverAStoreLongerToWalkThanAFullPaceDeadlineStillRepairs() {
    int keys = 50_000;
    AePair p = replicas(keys);
    p.load(LOAD, START - RequestLoad.WINDOW_MILLIS);
    long walkMillis = keys * 1000L / WalkPace.BUSY_KEYS_PER_SECOND;
    assertTrue(walkMillis > CONFIG.aeSessionTimeoutMillis()
        + (long) keys * (1 + AntiEntropy.MAX_INCOMING) * 1000 / WalkPace.KEYS_PER_SECOND);
    assertTrue(p.runUntil(() -> p.stores[0].get(MISSED).isLive(), START + 10 * walkMillis),
        "repaired; " + p.counters[0].snapshot() + " / " + p.counters[1].snapshot());
    long took = repairedAt(p) - START; // 78 s
    assertTrue(took >= 2 * walkMillis && took <= 6 * walkMillis, "repaired after " + took
        + " ms, not within two to six walks at the busy pace");
    for (Counters c : p.counters) {
      assertEquals(0, c.get("kv.ae.timeouts"), c.snapshot().toString());
      assertTrue(c.get("kv.ae.throttled") >= 2 * walkMillis / RequestLoad.WINDOW_MILLIS,
          "throttled for every second of the walks; " + c.snapshot());
    }
  }

  /**
   * The load stops two seconds into node 0's walk of 10,000 keys: the window after the last
   * busy one still counts it busy, and from the next one on (3 s in) the walk goes at full pace,
   * so it ends at about 3,174 ms instead of 4,744 ms (busy throughout) or 474 ms (never busy).
   * Node 1's own session begins 2.5 s in at the earliest and sends its digest after 3.4 s, so
   * node 0's walk has the pace to itself.
   */
  @Test
  void theWalkGoesBackToFullPaceOneFullWindowAfterTheLoadStops() {
    int keys = 10_000;
    AePair p = replicas(keys);
    p.load(LOAD, START - RequestLoad.WINDOW_MILLIS);
    long stopAt = START + 2 * RequestLoad.WINDOW_MILLIS;
    p.runUntil(() -> false, stopAt);
    p.load(0, stopAt);
    assertTrue(p.runUntil(() -> !p.sentBy(0, AeDigest.class).isEmpty(), START + 10_000));

    long fullFrom = stopAt + RequestLoad.WINDOW_MILLIS;
    long slowKeys = Stabilizer.PLAN_PAGE
        + (fullFrom - START) * WalkPace.BUSY_KEYS_PER_SECOND / 1000;
    long expected = fullFrom + (keys - slowKeys) * 1000 / WalkPace.KEYS_PER_SECOND;
    long at = firstDigestAt(p, 0);
    assertTrue(Math.abs(at - expected) <= 80, "node 0's walk ended " + (at - START)
        + " ms in, expected about " + (expected - START));
    assertEquals(3, p.counters[0].get("kv.ae.throttled"), "throttled 3 windows: "
        + p.counters[0].snapshot());
  }
}
