package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.AeBucket;
import io.quorumkv.common.wire.AeDigest;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KeyVersion;
import io.quorumkv.node.KvConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A session hashes and pushes only records stamped before its initiator began it, on both sides:
 * a new key written to one replica while the session ran makes no bucket differ and is not
 * pushed (its coordinator is still delivering it), and the first session begun after the write
 * brings it to the other replica; a record stamped before the cutoff is still repaired, and a key
 * overwritten since is listed, so no older version is pushed over it.
 */
class AeCutoffTest {

  private static final KvConfig CONFIG = KvConfig.local();
  private static final long START = 1_000_000_000_000L;
  private static final int KEYS = 2_000;
  /** Long enough for the first session and the next one of either node. */
  private static final long SESSIONS_MILLIS = 4 * CONFIG.aeIntervalMillis();

  /**
   * Two replicas of the same {@link #KEYS} keys ({@link AePair#inSync}): node 0 begins its first
   * session at {@code START}, node 1 none for at least half an interval, which the first session
   * does not last.
   */
  private static AePair replicasInSync() {
    return AePair.inSync(CONFIG, START, KEYS);
  }

  /** Whether node 0's first session has ended, in sync or not. */
  private static boolean firstSessionCompared(AePair p) {
    return p.counters[0].get("kv.ae.in-sync") + p.counters[0].get("kv.ae.buckets-differing") > 0;
  }

  /** A record stamped now, as a write that reached node {@code to} and not the other leaves it. */
  private static KeyRecord writtenNow(AePair p, int to, String key) {
    KeyRecord r = new KeyRecord(key, "new", false,
        new Version(HybridClock.pack(p.now, 0), AePair.ADDRESSES[to]));
    p.stores[to].put(r);
    return r;
  }

  @Test
  void aWriteThatReachedOneReplicaAfterTheCutoffLeavesTheSessionInSync() {
    AePair p = replicasInSync();
    assertTrue(p.runUntil(() -> p.now > START, START + 1000));
    assertEquals(1, p.counters[0].get("kv.ae.sessions"), "node 0 began its session at START");
    // Stamped after node 0's cutoff and before node 1 hears of the session: node 1's own clock
    // at the digest would not leave the record out; only the cutoff the digest carries does.
    KeyRecord late = writtenNow(p, 1, "k00777-late");
    assertTrue(p.runUntil(() -> firstSessionCompared(p), START + SESSIONS_MILLIS));

    AeDigest asked = p.sentBy(0, AeDigest.class).get(0);
    AeDigest answered = p.sentBy(1, AeDigest.class).get(0);
    assertEquals(START, asked.stampedBeforeMillis());
    assertEquals(START, answered.stampedBeforeMillis(), "the responder echoes the cutoff");
    assertTrue(p.sent.stream().filter(s -> s.message() == asked).findFirst().orElseThrow()
        .atMillis() > HybridClock.physicalMillis(late.version().timestamp()));
    assertEquals(1, p.counters[0].get("kv.ae.in-sync"), p.counters[0].snapshot().toString());
    assertEquals(1, p.counters[1].get("kv.ae.in-sync"), p.counters[1].snapshot().toString());
    assertEquals(0, p.counters[0].get("kv.ae.buckets-differing")
        + p.counters[1].get("kv.ae.buckets-differing"));
    assertTrue(p.sentBy(0, AeBucket.class).isEmpty() && p.sentBy(1, AeBucket.class).isEmpty(),
        "no second walk: no bucket's entries were sent");
    assertEquals(KeyRecord.absent(late.key()), p.stores[0].get(late.key()));

    assertTrue(p.runUntil(() -> p.stores[0].get(late.key()).equals(late),
        START + 2 * SESSIONS_MILLIS), "a later session, begun after the write, repairs it");
  }

  /**
   * A bucket that differs by a record stamped before the cutoff, which is repaired; in the same
   * bucket a key that node 1 got an overwrite of since: node 1 lists it, though it hashed it
   * not, so node 0 sees the newer version and does not push its older one over it.
   */
  @Test
  void aDifferingBucketListsKeysOverwrittenSinceSoNoOlderVersionIsPushedOverThem() {
    AePair p = replicasInSync();
    String missed = "k01234";
    p.stores[1].remove(missed);
    assertTrue(p.runUntil(() -> p.now > START, START + 1000));
    int bucket = AeHashes.bucketOf(p.view.ring().tokenOf(missed));
    String overwritten = heldKeyOfBucket(p, bucket, missed);
    KeyRecord newer = writtenNow(p, 1, overwritten);
    assertTrue(p.runUntil(() -> firstSessionCompared(p), START + SESSIONS_MILLIS));
    assertTrue(p.runUntil(() -> p.stores[1].get(missed).isLive(), START + SESSIONS_MILLIS),
        "the record stamped before the cutoff is repaired");

    assertEquals(1, p.counters[0].get("kv.ae.buckets-differing"));
    List<KeyVersion> listedBy1 = p.sentBy(1, AeBucket.class).stream()
        .filter(b -> b.bucket() == bucket).flatMap(b -> b.entries().stream()).toList();
    assertTrue(listedBy1.contains(new KeyVersion(overwritten, newer.version())), listedBy1
        .toString());
    assertEquals(1, p.counters[0].get("kv.ae.pushed"), "node 0 pushed the missed record alone");
    assertEquals(0, p.counters[1].get("kv.ae.pushed"), "node 1 pushed nothing stamped since");
    assertFalse(p.stores[0].get(overwritten).equals(newer));
  }

  /** A key of {@code bucket} that both replicas hold, other than {@code not}. */
  private static String heldKeyOfBucket(AePair p, int bucket, String not) {
    for (KeyRecord r : p.stores[0].scan(null, KEYS)) {
      if (!r.key().equals(not) && AeHashes.bucketOf(p.view.ring().tokenOf(r.key())) == bucket) {
        return r.key();
      }
    }
    throw new AssertionError("no other key of bucket " + bucket + " among " + KEYS);
  }
}
