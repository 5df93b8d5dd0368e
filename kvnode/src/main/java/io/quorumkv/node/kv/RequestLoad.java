package io.quorumkv.node.kv;

/**
 * How busy this node is with key-value requests: the client requests it coordinates and the
 * replica reads, writes, checks and commits it answers, counted per window of
 * {@link #WINDOW_MILLIS} of node time. Anti-entropy asks {@link #busy} and walks at
 * {@link WalkPace#BUSY_KEYS_PER_SECOND} while it holds, so background repair yields to foreground
 * load, as Riak's active anti-entropy slows its tree exchanges while vnode mailboxes are long.
 *
 * <p>Windows are aligned on multiples of {@link #WINDOW_MILLIS} of the time the driver passes
 * in, so the emulator replays the same verdicts. A verdict is about the last full window only
 * (the current one is still filling): one busy second throttles the next one, and a second
 * without load gives anti-entropy its full pace back. A window in which nothing was counted (an
 * idle gap) counts as idle, whatever came before it.
 */
final class RequestLoad {

  /**
   * The window requests are counted over, in ms. A second reacts within a second to load that
   * starts or stops, and is long enough that a burst of a few milliseconds (a client's retries,
   * a read repair) does not make a window busy on its own.
   */
  static final long WINDOW_MILLIS = 1_000;

  /**
   * Requests a second from which the node counts as busy. A local node under {@code kvclient
   * bench} (10,000 quorum writes a second over 3 nodes) answers about 10,000 (a third
   * coordinated, two thirds as a replica of the other coordinators' writes), and its loop is
   * then close to saturated; an idle node answers none, an operator's CLI and the tests' clients
   * a few dozen. At 2,000, a fifth of that load, a walk at full pace (up to a tenth of a core)
   * already competes with requests for the one loop thread. Lower would throttle repair under
   * light load, where it costs little; higher would throttle only a loop that already queues.
   */
  static final int BUSY_REQUESTS_PER_SECOND = 2_000;

  private static final long BUSY_PER_WINDOW = BUSY_REQUESTS_PER_SECOND * WINDOW_MILLIS / 1000;

  /** The window being counted, by its index (time divided by the window); none at first. */
  private long window = Long.MIN_VALUE;
  private long current;
  /** Requests of the window just before {@link #window}; 0 if none was counted in it. */
  private long previous;

  /** One key-value request handled at {@code nowMillis}. */
  void record(long nowMillis) {
    roll(nowMillis);
    current++;
  }

  /** True when the last full window before {@code nowMillis}'s counted at least the threshold. */
  boolean busy(long nowMillis) {
    return lastWindow(nowMillis) >= BUSY_PER_WINDOW;
  }

  /** The requests of the last full window before {@code nowMillis}'s (0 after an idle one). */
  long lastWindow(long nowMillis) {
    roll(nowMillis);
    return previous;
  }

  /** The index of {@code nowMillis}'s window, so callers can count windows. */
  static long windowOf(long nowMillis) {
    return Math.floorDiv(nowMillis, WINDOW_MILLIS);
  }

  private void roll(long nowMillis) {
    long w = windowOf(nowMillis);
    if (w <= window) {
      return; // the same window (or a time before it, which a monotonic clock never gives)
    }
    previous = w == window + 1 ? current : 0;
    current = 0;
    window = w;
  }
}
