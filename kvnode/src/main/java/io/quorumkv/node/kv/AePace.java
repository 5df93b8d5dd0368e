package io.quorumkv.node.kv;

import io.quorumkv.node.Counters;

/**
 * Anti-entropy's walk pace, shared by all its sessions: {@link WalkPace#KEYS_PER_SECOND}, or
 * {@link WalkPace#BUSY_KEYS_PER_SECOND} while {@link RequestLoad} says the node is busy, so that
 * background repair yields to foreground load (Riak's AAE throttle, Cassandra's repair
 * throughput cap). Each load window in which a walk went at the busy pace counts once in
 * {@code kv.ae.throttled}, so an operator reads it as seconds throttled.
 */
final class AePace {

  private final WalkPace pace;
  private final RequestLoad load;
  private final Counters counters;
  private boolean busy;
  /** The last load window counted in {@code kv.ae.throttled}. */
  private long throttledWindow = Long.MIN_VALUE;

  AePace(int page, RequestLoad load, Counters counters, long nowMillis) {
    this.pace = new WalkPace(page, nowMillis);
    this.load = load;
    this.counters = counters;
  }

  /**
   * The time a walk of {@code keys} may take at the slowest pace, in ms. Deadlines reckon with
   * it whether or not the node is busy now: load may begin during a session, and the peer may
   * be busy while we are not; at the full pace a throttled session timed out and its walks were
   * wasted.
   */
  static long walkMillis(long keys) {
    return keys * 1000 / WalkPace.BUSY_KEYS_PER_SECOND;
  }

  /** Keys the walks may visit now; decides, once per tick, the pace they go at. */
  int allowed(long nowMillis) {
    busy = load.busy(nowMillis);
    pace.rate(busy ? WalkPace.BUSY_KEYS_PER_SECOND : WalkPace.KEYS_PER_SECOND, nowMillis);
    return pace.allowed(nowMillis);
  }

  /** A walk visited {@code keys} at {@code nowMillis}, at the pace {@link #allowed} chose. */
  void walked(int keys, long nowMillis) {
    pace.walked(keys);
    long window = RequestLoad.windowOf(nowMillis);
    if (busy && window != throttledWindow) {
      throttledWindow = window;
      counters.increment("kv.ae.throttled");
    }
  }

  /** When a paused walk should go on (see {@link WalkPace#nextWakeup}). */
  long nextWakeup(long nowMillis) {
    return pace.nextWakeup(nowMillis);
  }
}
