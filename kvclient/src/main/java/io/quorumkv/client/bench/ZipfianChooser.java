package io.quorumkv.client.bench;

import java.util.random.RandomGenerator;

/**
 * Key indexes with a Zipf distribution: index {@code i} is drawn with probability proportional to
 * {@code 1 / (i+1)^theta}, so a few keys are hot, as in most real workloads. With the usual theta
 * of 0.99 (YCSB's default), the hottest 1% of 100,000 keys take about half of all requests.
 *
 * <p>Sampling uses the closed-form approximation of Gray et al., "Quickly Generating
 * Billion-Record Synthetic Databases" (SIGMOD 1994): constant time per draw after one pass that
 * sums {@code zeta(count, theta)}. The pass is O(count), about a millisecond per million keys.
 * The ring hashes keys, so the hot indexes land on random nodes, not on one.
 */
final class ZipfianChooser implements KeyChooser {

  private final long count;
  private final double theta;
  private final double alpha;
  private final double zetaN;
  private final double eta;
  /** 1 + 0.5^theta: below it a draw is index 1 (below 1 it is index 0). */
  private final double secondUpTo;

  ZipfianChooser(long count, double theta) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1");
    }
    if (!(theta > 0 && theta < 1)) {
      throw new IllegalArgumentException("--zipf-theta must be between 0 and 1 (exclusive), got "
          + theta);
    }
    this.count = count;
    this.theta = theta;
    this.alpha = 1 / (1 - theta);
    this.zetaN = zeta(count, theta);
    double zeta2 = zeta(Math.min(2, count), theta);
    this.eta = (1 - Math.pow(2.0 / count, 1 - theta)) / (1 - zeta2 / zetaN);
    this.secondUpTo = 1 + Math.pow(0.5, theta);
  }

  static double zeta(long n, double theta) {
    double sum = 0;
    for (long i = 1; i <= n; i++) {
      sum += 1 / Math.pow(i, theta);
    }
    return sum;
  }

  @Override
  public long next(RandomGenerator random) {
    double u = random.nextDouble();
    double uz = u * zetaN;
    if (uz < 1 || count == 1) {
      return 0;
    }
    if (uz < secondUpTo) {
      return 1;
    }
    long index = (long) (count * Math.pow(eta * u - eta + 1, alpha));
    return Math.min(index, count - 1);
  }

  @Override
  public String toString() {
    return "zipfian(theta " + theta + ")";
  }
}
