package io.quorumkv.common.wire;

import java.util.List;

/**
 * An owner's answer to an {@link Offer}: send me {@code want} (in a {@link Handoff}); ask me again
 * later about {@code later} (another holder is sending them right now). Every other offered key
 * the owner already holds at the offered version or newer.
 */
public record OfferReply(List<String> want, List<String> later) implements Message {

  public OfferReply {
    want = Limits.boundedList("want", want, Offer.MAX_ENTRIES);
    later = Limits.boundedList("later", later, Offer.MAX_ENTRIES);
  }
}
