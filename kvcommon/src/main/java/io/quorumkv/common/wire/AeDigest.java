package io.quorumkv.common.wire;

import io.quorumkv.common.time.HybridClock;
import java.util.List;

/**
 * Anti-entropy, first step: a node's hashes of the keys it shares with the receiver (the keys
 * whose replicas include both), one per bucket of key hashes. The initiator of a session sends
 * its digest; the receiver answers with its own under the same session. Both then know which
 * buckets differ and exchange their entries of those ({@link AeBucket}).
 *
 * <p>Both sides hash and push only records stamped before one cutoff, the initiator's: the two
 * walks are seconds apart, and a key first written between them would otherwise make its bucket
 * differ although its coordinator is still delivering it.
 *
 * @param session the initiator's session number, echoed in every message of the session
 * @param fromInitiator true from the node that began the session, false in the answer: with the
 *     sender's address, it names the session (both nodes may have begun one numbered alike)
 * @param stampedBeforeMillis the session's cutoff, in physical milliseconds since the epoch
 *     ({@link HybridClock#physicalMillis}): the hashes and the pushes of the session cover only
 *     records whose version's physical time is before it. The initiator sets it to when it began
 *     the session (its clock); the answer echoes it. 0 to
 *     {@link HybridClock#MAX_PHYSICAL_MILLIS}
 * @param hashes {@link #BUCKETS} hashes, bucket 0 first; 0 for an empty bucket
 */
public record AeDigest(long session, boolean fromInitiator, long stampedBeforeMillis,
    List<Long> hashes) implements Message {

  /** Buckets of a digest: enough to narrow a difference to 1/256 of the shared keys, few enough
   *  that a digest fits a datagram. */
  public static final int BUCKETS = 256;

  public AeDigest {
    if (stampedBeforeMillis < 0 || stampedBeforeMillis > HybridClock.MAX_PHYSICAL_MILLIS) {
      throw new IllegalArgumentException("stampedBeforeMillis " + stampedBeforeMillis
          + " is not 0.." + HybridClock.MAX_PHYSICAL_MILLIS);
    }
    hashes = Limits.boundedList("hashes", hashes, BUCKETS);
    if (hashes.size() != BUCKETS) {
      throw new IllegalArgumentException("a digest has " + BUCKETS + " hashes, not "
          + hashes.size());
    }
  }
}
