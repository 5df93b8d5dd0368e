package io.quorumkv.it.scale;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The median and the range of a few repeated measurements, in milliseconds. With an even count
 * the median is the mean of the two middle values.
 */
record Spread(long median, long min, long max, int count) {

  static Spread of(List<Long> millis) {
    if (millis.isEmpty()) {
      throw new IllegalArgumentException("no measurements");
    }
    long[] sorted = millis.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    long median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Spread(median, sorted[0], sorted[n - 1], n);
  }

  /** "1234 ms (1100..1400, 5 runs)". */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d ms (%d..%d, %d run%s)", median, min, max, count,
        count == 1 ? "" : "s");
  }
}
