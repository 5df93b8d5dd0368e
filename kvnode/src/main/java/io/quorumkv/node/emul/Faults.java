package io.quorumkv.node.emul;

import io.quorumkv.common.wire.Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The faults the emulated network applies to datagrams, kept outside the node on purpose: the
 * node's code has no test branches, the network decides what reaches it. Every setting may change
 * at any time during a run (a scenario turns loss on at one tick and off at another).
 *
 * <p>Loss, duplication and delay are decided when a datagram is sent, with the network's own
 * seeded random; the same four draws are made for every datagram whatever the settings, so turning
 * one fault on does not shift the random stream seen by the others. Partitions and one-way blocks
 * are checked when a datagram would be delivered, like a cut cable that also loses what is in
 * flight; {@link #heal()} reconnects everything at once.
 */
public final class Faults {

  /** The fate of one sent datagram. */
  record Fate(boolean lost, long delayMillis, boolean duplicated, long duplicateDelayMillis) {
  }

  /** Datagrams from any address in {@code from} to any address in {@code to} are dropped. */
  private record Block(Set<Address> from, Set<Address> to) {
  }

  private double dropProbability;
  private double duplicateProbability;
  private long minDelayMillis = 1;
  private long maxDelayMillis = 1;
  private final List<Block> blocks = new ArrayList<>();

  /** Each datagram is lost with probability {@code p} (0 keeps all, 1 loses all). */
  public Faults setDropProbability(double p) {
    this.dropProbability = probability("drop", p);
    return this;
  }

  /** Each datagram that is not lost is delivered a second time with probability {@code p}. */
  public Faults setDuplicateProbability(double p) {
    this.duplicateProbability = probability("duplicate", p);
    return this;
  }

  /**
   * Each delivery takes a delay drawn uniformly from {@code [minMillis, maxMillis]}; a range wider
   * than zero reorders datagrams. The default is exactly 1 ms.
   */
  public Faults setDelay(long minMillis, long maxMillis) {
    if (minMillis < 0 || maxMillis < minMillis) {
      throw new IllegalArgumentException(
          "need 0 <= minMillis <= maxMillis, got [" + minMillis + ", " + maxMillis + "]");
    }
    this.minDelayMillis = minMillis;
    this.maxDelayMillis = maxMillis;
    return this;
  }

  /**
   * Cuts every link between {@code side} and {@code otherSide}, both ways. Addresses in neither
   * group are unaffected; call it again to cut a third group off.
   */
  public Faults partition(Collection<Address> side, Collection<Address> otherSide) {
    block(side, otherSide);
    block(otherSide, side);
    return this;
  }

  /** Drops datagrams sent from any of {@code from} to any of {@code to}, one way only. */
  public Faults block(Collection<Address> from, Collection<Address> to) {
    Set<Address> fromSet = new TreeSet<>(from);
    Set<Address> toSet = new TreeSet<>(to);
    if (fromSet.isEmpty() || toSet.isEmpty()) {
      throw new IllegalArgumentException("a block needs addresses on both ends");
    }
    blocks.add(new Block(Set.copyOf(fromSet), Set.copyOf(toSet)));
    return this;
  }

  /** Removes every partition and one-way block. Loss, duplication and delay stay as set. */
  public Faults heal() {
    blocks.clear();
    return this;
  }

  /** True when a partition or block currently drops datagrams from {@code from} to {@code to}. */
  public boolean blocks(Address from, Address to) {
    for (Block block : blocks) {
      if (block.from().contains(from) && block.to().contains(to)) {
        return true;
      }
    }
    return false;
  }

  public double dropProbability() {
    return dropProbability;
  }

  public double duplicateProbability() {
    return duplicateProbability;
  }

  public long minDelayMillis() {
    return minDelayMillis;
  }

  public long maxDelayMillis() {
    return maxDelayMillis;
  }

  /** Draws the fate of one datagram: always four draws, in a fixed order. */
  Fate decide(RandomGenerator random) {
    double lossDraw = random.nextDouble();
    double duplicateDraw = random.nextDouble();
    long span = maxDelayMillis - minDelayMillis + 1;
    long delay = minDelayMillis + random.nextLong(span);
    long duplicateDelay = minDelayMillis + random.nextLong(span);
    boolean lost = lossDraw < dropProbability;
    boolean duplicated = !lost && duplicateDraw < duplicateProbability;
    return new Fate(lost, delay, duplicated, duplicateDelay);
  }

  private static double probability(String name, double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException(name + " probability must be in [0, 1], got " + p);
    }
    return p;
  }
}
