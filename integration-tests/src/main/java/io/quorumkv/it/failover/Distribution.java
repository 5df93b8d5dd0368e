package io.quorumkv.it.failover;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Measured durations in milliseconds, summarized as the failover bench reports them: the median
 * (the mean of the two middle values for an even count, rounded down), the 90th percentile by
 * nearest rank (the smallest value that at least 90% of the samples do not exceed) and the
 * maximum.
 */
record Distribution(List<Long> sorted) {

  Distribution {
    List<Long> copy = new ArrayList<>(sorted);
    Collections.sort(copy);
    sorted = List.copyOf(copy);
  }

  static Distribution of(Collection<Long> samples) {
    return new Distribution(List.copyOf(samples));
  }

  int count() {
    return sorted.size();
  }

  long median() {
    requireSamples();
    int n = sorted.size();
    if (n % 2 == 1) {
      return sorted.get(n / 2);
    }
    return Math.floorDiv(sorted.get(n / 2 - 1) + sorted.get(n / 2), 2);
  }

  /** Nearest rank: the value at rank ceil(p / 100 * n), 1-based. */
  long percentile(int p) {
    requireSamples();
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be 1..100, got " + p);
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(1, rank) - 1);
  }

  long max() {
    requireSamples();
    return sorted.get(sorted.size() - 1);
  }

  /** "median 812 ms, p90 954 ms, max 1011 ms (10 runs)", or "no runs". */
  String summary() {
    if (sorted.isEmpty()) {
      return "no runs";
    }
    return String.format(Locale.ROOT, "median %d ms, p90 %d ms, max %d ms (%d run%s)", median(),
        percentile(90), max(), count(), count() == 1 ? "" : "s");
  }

  private void requireSamples() {
    if (sorted.isEmpty()) {
      throw new IllegalStateException("no samples");
    }
  }
}
