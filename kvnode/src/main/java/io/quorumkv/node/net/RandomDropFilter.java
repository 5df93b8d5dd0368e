package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;
import java.util.SplittableRandom;

/**
 * A testing fault: drops each received datagram independently with a fixed probability, drawn
 * from its own seeded random so that a run with the same seed drops the same datagrams (given the
 * same arrival order). Used by {@code --fault-drop-rate} to exercise SWIM under loss on real
 * sockets.
 */
public final class RandomDropFilter implements ReceiveFilter {

  private final double dropRate;
  private final SplittableRandom random;

  /**
   * @param dropRate probability in [0, 1] that a datagram is dropped
   * @param seed seed of this filter's own random
   */
  public RandomDropFilter(double dropRate, long seed) {
    if (!(dropRate >= 0.0 && dropRate <= 1.0)) {
      throw new IllegalArgumentException("drop rate must be in [0, 1], got " + dropRate);
    }
    this.dropRate = dropRate;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public boolean admits(Address from, int length) {
    // Draw even at rate 0 or 1 so the sequence of draws does not depend on the rate.
    return random.nextDouble() >= dropRate;
  }

  public double dropRate() {
    return dropRate;
  }
}
