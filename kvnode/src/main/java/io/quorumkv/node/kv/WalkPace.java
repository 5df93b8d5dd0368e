package io.quorumkv.node.kv;

/**
 * The pace of a background walk over the store (anti-entropy, the orphan sweep): an allowance of
 * keys refilled at a fixed rate, up to one page, so the walk's CPU stays bounded however large
 * the store grows. Under load a walked key costs 1 to 5 us (other processes keep the caches
 * cold), so 20,000 keys a second is at most a tenth of a core; a store of 100,000 keys is walked
 * in 5 s. Unpaced, the walks took half of a loaded node's loop at 100,000 keys.
 */
final class WalkPace {

  /** Keys a second that each paced walk may visit. */
  static final int KEYS_PER_SECOND = 20_000;

  private final int page;
  private double allowance;
  private long refilledAt;

  WalkPace(int page, long nowMillis) {
    this.page = page;
    this.allowance = page;
    this.refilledAt = nowMillis;
  }

  /** Refills for the time passed since the last call; the keys that may be walked now. */
  int allowed(long nowMillis) {
    if (nowMillis > refilledAt) {
      double refill = (nowMillis - refilledAt) * (KEYS_PER_SECOND / 1000.0);
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
   * When a paused walk should next run: once a quarter page may be walked (a few milliseconds),
   * so that it neither spins on every turn of the loop nor walks a handful of keys at a time.
   */
  long nextWakeup(long nowMillis) {
    double missing = page / 4.0 - allowance;
    return missing <= 0 ? nowMillis
        : nowMillis + Math.max(1, (long) Math.ceil(missing * 1000 / KEYS_PER_SECOND));
  }
}
