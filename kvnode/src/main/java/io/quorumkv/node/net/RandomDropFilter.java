package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * A testing fault: drops each received datagram independently with a fixed probability, drawn
 * from its own seeded random so that a run with the same seed drops the same datagrams (given the
 * same arrival order). Used by {@code --fault-drop-rate} to exercise SWIM under loss on real
 * sockets.
 */
public final class RandomDropFilter implements ReceiveFilter {

  private final double dropRate;
  private final SplittableRandom random;
  private final LongSupplier wallMillis;
  private final long fromMillis;
  private final long untilMillis;

  /**
   * @param dropRate probability in [0, 1] that a datagram is dropped
   * @param seed seed of this filter's own random
   */
  public RandomDropFilter(double dropRate, long seed) {
    this(dropRate, seed, () -> 0L, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * A filter that drops only while {@code wallMillis} reads a time in [fromMillis, untilMillis):
   * the seed grader's message-loss scenario loses messages during a window of ticks only.
   */
  public RandomDropFilter(double dropRate, long seed, LongSupplier wallMillis, long fromMillis,
      long untilMillis) {
    if (!(dropRate >= 0.0 && dropRate <= 1.0)) {
      throw new IllegalArgumentException("drop rate must be in [0, 1], got " + dropRate);
    }
    if (fromMillis >= untilMillis) {
      throw new IllegalArgumentException("the window must not be empty");
    }
    this.dropRate = dropRate;
    this.random = new SplittableRandom(seed);
    this.wallMillis = wallMillis;
    this.fromMillis = fromMillis;
    this.untilMillis = untilMillis;
  }

  @Override
  public boolean admits(Address from, int length) {
    // Draw even at rate 0 or 1 so the sequence of draws does not depend on the rate.
    double draw = random.nextDouble();
    long now = wallMillis.getAsLong();
    return draw >= dropRate || now < fromMillis || now >= untilMillis;
  }

  public double dropRate() {
    return dropRate;
  }
}
