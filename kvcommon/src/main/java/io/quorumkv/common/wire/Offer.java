package io.quorumkv.common.wire;

import java.util.List;

/**
 * Stabilization, first step: "I hold these keys at these versions; you own them". The owner
 * answers with an {@link OfferReply} under the same request id, naming the keys it wants sent
 * (it holds an older version or none). Offers are small, so several holders may offer the same
 * key; the owner pulls each key from one of them only.
 */
public record Offer(List<KeyVersion> entries) implements Message {

  /** Most entries one offer carries; the datagram limit usually binds first. */
  public static final int MAX_ENTRIES = 256;

  public Offer {
    entries = Limits.boundedList("entries", entries, MAX_ENTRIES);
  }
}
