package io.quorumkv.client.bench;

import java.util.Locale;
import java.util.random.RandomGenerator;

/** Picks the index of the key each request uses, in {@code 0..count-1}. */
public interface KeyChooser {

  long next(RandomGenerator random);

  /** Every key equally likely. */
  record Uniform(long count) implements KeyChooser {
    @Override
    public long next(RandomGenerator random) {
      return random.nextLong(count);
    }

    @Override
    public String toString() {
      return "uniform";
    }
  }

  /**
   * {@code uniform} or {@code zipfian} over {@code count} keys; {@code theta} is the zipfian
   * skew (ignored for uniform).
   *
   * @throws IllegalArgumentException for another name
   */
  static KeyChooser of(String distribution, long count, double theta) {
    return switch (distribution.trim().toLowerCase(Locale.ROOT)) {
      case "uniform" -> new Uniform(count);
      case "zipfian", "zipf" -> new ZipfianChooser(count, theta);
      default -> throw new IllegalArgumentException(
          "--distribution must be uniform or zipfian, got '" + distribution + "'");
    };
  }
}
