package io.quorumkv.node.membership;

import io.quorumkv.common.wire.Address;
import java.util.HashSet;
import java.util.Set;

/**
 * Lifeguard's dynamic suspicion timeout for one suspected member. The timer starts at its maximum
 * and shrinks toward its minimum, logarithmically, as independent members confirm the suspicion:
 * {@code timeout = max(min, max - (max - min) * log(c + 1) / log(k + 1))} for c confirmations out
 * of k expected. A member that several others cannot reach is declared dead quickly; one that only
 * we cannot reach gets the long timeout, and with it time to refute.
 *
 * <p>Confirmations are counted by the distinct members that told us about the suspicion (our wire
 * facts carry no originator), which can count one relayed suspicion more than once; the minimum
 * still bounds how fast that makes us.
 */
final class Suspicion {

  private final long incarnation;
  private final long startedAtMillis;
  private final long minMillis;
  private final long maxMillis;
  private final int expectedConfirmations;
  private final Set<Address> confirmers = new HashSet<>();

  Suspicion(long incarnation, long startedAtMillis, long minMillis, long maxMillis,
      int expectedConfirmations, Address firstReporter) {
    this.incarnation = incarnation;
    this.startedAtMillis = startedAtMillis;
    this.minMillis = minMillis;
    this.maxMillis = Math.max(minMillis, maxMillis);
    this.expectedConfirmations = Math.max(0, expectedConfirmations);
    if (firstReporter != null) {
      confirmers.add(firstReporter);
    }
  }

  /** The incarnation the suspicion is about; a refutation raises it and ends the suspicion. */
  long incarnation() {
    return incarnation;
  }

  /** Records that {@code reporter} also suspects the member; returns true if it was new. */
  boolean confirm(Address reporter) {
    if (confirmers.size() >= expectedConfirmations + 1) {
      return false; // enough: further confirmations cannot shorten the timer
    }
    return confirmers.add(reporter);
  }

  /** When the member is to be declared dead if nobody refutes. */
  long deadlineMillis() {
    if (expectedConfirmations < 1) {
      return startedAtMillis + minMillis;
    }
    // The first reporter started the suspicion; only the others confirm it.
    int confirmations = Math.max(0, confirmers.size() - 1);
    double fraction = Math.log(confirmations + 1.0) / Math.log(expectedConfirmations + 1.0);
    long timeout = (long) Math.floor(maxMillis - (maxMillis - minMillis) * fraction);
    return startedAtMillis + Math.max(minMillis, timeout);
  }
}
