package io.quorumkv.node.net;

/**
 * The time {@link UdpEventLoop} gives its node (its class comment says why it is this one):
 * monotonic, from {@link System#nanoTime()}, and anchored to the wall clock read once when this
 * clock is made, at bind time, so that it is also epoch milliseconds. Only the drivers read real
 * clocks; this is the production driver's one place for it. Used only by the loop thread.
 */
final class LoopClock {

  private final long originNanos = System.nanoTime();
  /** Wall-clock time at {@link #originNanos}: anchors the monotonic clock to the epoch. */
  private final long originEpochMillis = System.currentTimeMillis();

  /** Milliseconds since the epoch, never going backwards. */
  long now() {
    return originEpochMillis + (System.nanoTime() - originNanos) / 1_000_000;
  }
}
