package io.quorumkv.node.emul;

/**
 * An emulated run went wrong: a node threw, a harness action threw, or the run exceeded its event
 * bound. The message always starts with the seed and the simulated time, and says how to replay
 * the run, so a failure in a seed sweep can be reproduced bit for bit.
 */
public final class EmulationException extends RuntimeException {

  private final long seed;
  private final long timeMillis;

  public EmulationException(long seed, long timeMillis, String detail, Throwable cause) {
    super("seed=" + seed + " t=" + timeMillis + "ms: " + detail
        + " (replay: run the same test with -Dqkv.seed=" + seed + ")", cause);
    this.seed = seed;
    this.timeMillis = timeMillis;
  }

  public long seed() {
    return seed;
  }

  public long timeMillis() {
    return timeMillis;
  }
}
