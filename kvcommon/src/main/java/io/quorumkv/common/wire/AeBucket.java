package io.quorumkv.common.wire;

import java.util.List;

/**
 * Anti-entropy, second step: the keys and versions a node holds in one bucket whose hashes
 * differed, in as many messages as the datagram limit needs, the last one marked. The receiver,
 * once it has the whole bucket, sends back as silent repairs ({@link Handoff} without
 * acknowledgement) every record of that bucket it holds newer, or that the sender lacks.
 *
 * @param session the session number of the {@link AeDigest}s
 * @param fromInitiator as in {@link AeDigest}
 * @param bucket which bucket, 0 to {@link AeDigest#BUCKETS} - 1
 * @param entries some of the sender's entries of that bucket
 * @param last true on the bucket's last message
 */
public record AeBucket(long session, boolean fromInitiator, int bucket, List<KeyVersion> entries,
    boolean last) implements Message {

  /** Most entries one message carries; the datagram limit usually binds first. */
  public static final int MAX_ENTRIES = 256;

  public AeBucket {
    if (bucket < 0 || bucket >= AeDigest.BUCKETS) {
      throw new IllegalArgumentException("bucket " + bucket + " is not 0.."
          + (AeDigest.BUCKETS - 1));
    }
    entries = Limits.boundedList("entries", entries, MAX_ENTRIES);
  }
}
