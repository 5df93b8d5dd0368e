package io.quorumkv.common.time;

/**
 * A remote timestamp was too far ahead of our wall clock to be trusted (see
 * {@link HybridClock#observe}). It is a property of the input, not a bug: the caller drops the
 * message and counts it. Checked, so no caller forgets; without a stack trace, because it is
 * data and may arrive often from a node with a broken clock.
 */
public final class ClockDriftException extends Exception {

  private final long remoteTimestamp;
  private final long wallMillis;
  private final long aheadMillis;

  ClockDriftException(long remoteTimestamp, long wallMillis, long aheadMillis,
      long maxDriftMillis) {
    super("remote timestamp " + HybridClock.format(remoteTimestamp) + " is " + aheadMillis
        + " ms ahead of the wall clock " + wallMillis + " (max drift " + maxDriftMillis + " ms)",
        null, false, false);
    this.remoteTimestamp = remoteTimestamp;
    this.wallMillis = wallMillis;
    this.aheadMillis = aheadMillis;
  }

  /** The refused timestamp. */
  public long remoteTimestamp() {
    return remoteTimestamp;
  }

  /** Our wall clock when it was refused. */
  public long wallMillis() {
    return wallMillis;
  }

  /** How far its physical part was ahead of our wall clock, in milliseconds. */
  public long aheadMillis() {
    return aheadMillis;
  }
}
