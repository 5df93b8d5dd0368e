package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.AeDigest;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.node.Counters;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.MemoryStorage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy walks the store at {@link WalkPace#KEYS_PER_SECOND}, whatever its size, and
 * between pages asks to be woken only when a page's worth may be walked again.
 */
class AePacingTest {

  private static final Address SELF = AePair.ADDRESSES[0];
  private static final Address PEER = AePair.ADDRESSES[1];
  private static final Codec CODEC = new Codec();
  private static final int KEYS = 5_000;

  /**
   * Two replicas of 250,000 keys, one of which the second holds newer: their walks take 12.5 s
   * each, longer than the local session timeout (10 s), and still the session ends in a repair.
   */
  @Test
  void aSessionOverAStoreThatTakesLongerToWalkThanTheTimeoutStillRepairs() {
    long start = 1_000_000_000_000L;
    KvConfig config = KvConfig.local();
    int keys = 250_000;
    assertTrue(keys * 1000L / WalkPace.KEYS_PER_SECOND > config.aeSessionTimeoutMillis());
    AePair pair = new AePair(config, start, start, start);
    Version v1 = new Version(HybridClock.pack(start, 0), SELF);
    for (int i = 0; i < keys; i++) {
      KeyRecord r = new KeyRecord("k" + i, "v", false, v1);
      pair.stores[0].put(r);
      pair.stores[1].put(r);
    }
    pair.stores[1].put(new KeyRecord("k77", "newer", false,
        new Version(HybridClock.pack(start, 1), PEER)));
    assertTrue(pair.runUntil(() -> pair.stores[0].get("k77").value().equals("newer"),
        start + 600_000), "repaired within 10 simulated minutes; "
        + pair.counters[0].snapshot() + " / " + pair.counters[1].snapshot());
    assertEquals(0, pair.counters[0].get("kv.ae.timeouts")
        + pair.counters[1].get("kv.ae.timeouts"));
  }

  @Test
  void aWalkOfFiveThousandKeysTakesAQuarterOfASecond() {
    long start = 1_000_000_000_000L;
    KvConfig config = KvConfig.local();
    Counters counters = new Counters();
    Outbox outbox = new Outbox(CODEC, counters, 4096);
    MemoryStorage storage = new MemoryStorage();
    for (int i = 0; i < KEYS; i++) {
      storage.put(new KeyRecord("k" + i, "v", false, new Version(HybridClock.pack(start, 0), SELF)));
    }
    AntiEntropy ae = new AntiEntropy(config, SELF, storage, outbox, counters, m -> true,
        new SplittableRandom(1), new RequestLoad(), AePair.view(),
        new Reconciliation(SELF, AePair.view()), start);

    // Sessions begin within 1.5 intervals; the first tick after it walks one page.
    long begun = start + config.aeIntervalMillis() * 3 / 2;
    ae.onTick(false, begun);
    assertEquals(1, counters.get("kv.ae.sessions"));
    long now = begun;
    long digestAt = -1;
    int wakeups = 0;
    while (digestAt < 0 && now < begun + 10_000) {
      long wake = ae.nextWakeup();
      assertTrue(wake > now, "a paused walk does not spin: woken at " + wake + ", now " + now);
      now = wake;
      wakeups++;
      ae.onTick(false, now);
      for (Outbox.Datagram d : outbox.drain()) {
        if (((Decoded.Ok) CODEC.decode(d.bytes())).envelope().message() instanceof AeDigest) {
          digestAt = now;
        }
      }
    }
    long took = digestAt - begun;
    long expected = (KEYS - 512) * 1000L / WalkPace.KEYS_PER_SECOND; // 224 ms
    assertTrue(took >= expected - 5 && took <= expected + 20,
        "the walk took " + took + " ms, expected about " + expected);
    assertTrue(wakeups <= KEYS / 128 + 2, "woken " + wakeups + " times, a quarter page at least each");
  }
}
