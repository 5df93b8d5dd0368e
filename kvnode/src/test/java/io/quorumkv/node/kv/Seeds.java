package io.quorumkv.node.kv;

import java.util.stream.LongStream;

/**
 * The seeds an emulated test runs: 1..N, N from {@code -Dqkv.seeds} (else the test's default);
 * {@code -Dqkv.seed=S} runs only S, to replay a failure.
 */
final class Seeds {

  private Seeds() {
  }

  static LongStream upTo(int defaultCount) {
    String one = System.getProperty("qkv.seed");
    if (one != null && !one.isBlank()) {
      return LongStream.of(Long.parseLong(one.trim()));
    }
    return LongStream.rangeClosed(1, Integer.getInteger("qkv.seeds", defaultCount));
  }
}
