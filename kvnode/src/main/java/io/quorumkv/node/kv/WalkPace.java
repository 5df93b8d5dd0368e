package io.quorumkv.node.kv;

/**
 * The pace of a background walk over the store (anti-entropy, the orphan sweep): an allowance of
 * keys refilled at a rate, up to one page, so the walk's CPU stays bounded however large the
 * store grows. Under load a walked key costs 1 to 5 us (other processes keep the caches cold), so
 * {@link #KEYS_PER_SECOND} is at most a tenth of a core; a store of 100,000 keys is walked in
 * 5 s. Unpaced, the walks took half of a loaded node's loop at 100,000 keys. Anti-entropy walks
 * at {@link #BUSY_KEYS_PER_SECOND} while the node is busy with requests ({@link RequestLoad}).
 */
final class WalkPace {

  /** Keys a second that each paced walk may visit. */
  static final int KEYS_PER_SECOND = 20_000;

  /**
   * Keys a second that anti-entropy walks while {@link RequestLoad#busy}: a tenth. Under
   * {@code kvclient bench} its walks took 20 to 30% of a node's loop at full pace (under
   * overwrites most buckets differ, so most sessions walk the store twice on both sides, and a
   * session begins every few seconds); at a tenth a JFR profile under the same load found them
   * at about 6%. A store of 100,000 keys is then walked in 50 s (longer when sessions share the
   * pace), so a replica that missed a write stays stale for minutes instead of seconds under
   * load, and tombstones wait longer to be purged ({@link Reconciliation}, which makes that wait
   * safe rather than the grace period). The orphan sweep never slows (it moves keys whose ownership changed, which must stay
   * prompt), nor does stabilization (unpaced).
   */
  static final int BUSY_KEYS_PER_SECOND = KEYS_PER_SECOND / 10;

  private final int page;
  private int keysPerSecond = KEYS_PER_SECOND;
  private double allowance;
  private long refilledAt;

  WalkPace(int page, long nowMillis) {
    this.page = page;
    this.allowance = page;
    this.refilledAt = nowMillis;
  }

  /**
   * From {@code nowMillis} on, refills at {@code keysPerSecond}; the time before it is refilled
   * at the rate it passed under.
   */
  void rate(int keysPerSecond, long nowMillis) {
    allowed(nowMillis);
    this.keysPerSecond = keysPerSecond;
  }

  /** Refills for the time passed since the last call; the keys that may be walked now. */
  int allowed(long nowMillis) {
    if (nowMillis > refilledAt) {
      double refill = (nowMillis - refilledAt) * (keysPerSecond / 1000.0);
      allowance = Math.min(page, allowance + refill);
      refilledAt = nowMillis;
    }
    return (int) allowance;
  }

  /** The walk visited {@code keys}. */
  void walked(int keys) {
    allowance -= keys;
  }

  /**
   * When a paused walk should next run: once a quarter page may be walked (a few milliseconds,
   * 64 ms at the busy pace), so that it neither spins on every turn of the loop nor walks a
   * handful of keys at a time.
   */
  long nextWakeup(long nowMillis) {
    double missing = page / 4.0 - allowance;
    return missing <= 0 ? nowMillis
        : nowMillis + Math.max(1, (long) Math.ceil(missing * 1000 / keysPerSecond));
  }
}
