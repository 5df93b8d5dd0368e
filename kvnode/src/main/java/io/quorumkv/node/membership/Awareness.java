package io.quorumkv.node.membership;

/**
 * Lifeguard's local health multiplier. Missed acks and missing nacks suggest that this node, not
 * its peers, is slow (GC pause, overloaded host, bad link). The score rises on such evidence and
 * falls on every successful probe; probe intervals and timeouts are stretched by {@code score + 1},
 * so an unhealthy node probes more patiently instead of spreading false suspicions.
 */
final class Awareness {

  private final int max;
  private int score;

  Awareness(int max) {
    this.max = max;
  }

  /** Adds {@code delta} (negative for good news), kept within 0..max. */
  void apply(int delta) {
    score = Math.max(0, Math.min(max, score + delta));
  }

  int score() {
    return score;
  }

  /** {@code millis} stretched by the current health score. */
  long scale(long millis) {
    return millis * (score + 1);
  }
}
