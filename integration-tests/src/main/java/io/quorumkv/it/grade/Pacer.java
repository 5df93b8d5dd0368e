package io.quorumkv.it.grade;

/**
 * Wall-clock ticks for real-mode runs: tick t starts at {@code originMillis + t * tickMillis}.
 * Waiting for a tick is the schedule itself, not a synchronization, so it sleeps.
 */
final class Pacer {

  private final long originMillis;
  private final long tickMillis;

  Pacer(long originMillis, long tickMillis) {
    this.originMillis = originMillis;
    this.tickMillis = tickMillis;
  }

  long origin() {
    return originMillis;
  }

  /** The wall-clock time at which tick {@code tick} starts. */
  long at(int tick) {
    return originMillis + tick * tickMillis;
  }

  /** Blocks until tick {@code tick} has started. */
  void awaitTick(int tick) throws InterruptedException {
    long wait = at(tick) - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }
}
