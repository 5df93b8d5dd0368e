package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.ring.HashRing;
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
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy walks the store at {@link WalkPace#KEYS_PER_SECOND}, whatever its size, and
 * between pages asks to be woken only when a page's worth may be walked again.
 */
class AePacingTest {

  private static final Address SELF = new Address("127.0.0.1", 7001);
  private static final Address PEER = new Address("127.0.0.1", 7002);
  private static final Codec CODEC = new Codec();
  private static final int KEYS = 5_000;

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
    TreeMap<Address, Long> generations = new TreeMap<>();
    generations.put(SELF, 1L);
    generations.put(PEER, 1L);
    MembershipView view = new MembershipView(HashRing.of(List.of(SELF, PEER)), generations);
    AntiEntropy ae = new AntiEntropy(config, SELF, storage, outbox, counters, m -> true,
        new SplittableRandom(1), view, start);

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
