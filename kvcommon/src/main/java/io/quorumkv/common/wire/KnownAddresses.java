package io.quorumkv.common.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The addresses {@link HotDecoder} read lately, by their bytes, so that the sender, client and
 * writer of nearly every message come back as an instance already made instead of two strings
 * and a record each: a node hears from a handful of peers and clients, and under bench load
 * parsing them was a sixth of decoding. It also lets the maps keyed by address (member list,
 * outbox, the stores' writer sharing) find a key by identity.
 *
 * <p>A fixed table of {@link #SLOTS} slots, the newest address of a slot replacing the older:
 * bounded whatever the traffic. Shared by every thread without a lock: a slot holds an
 * immutable {@link Entry}, whose final fields any thread sees whole, and a lost race only costs
 * a parse.
 */
final class KnownAddresses {

  static final int SLOTS = 256;

  private record Entry(byte[] text, Address address) {
  }

  private static final Entry[] TABLE = new Entry[SLOTS];

  private KnownAddresses() {
  }

  /**
   * The address spelled by {@code length} bytes of {@code bytes} from {@code offset} (plain
   * ASCII, already checked), parsed by {@link Address#parse}, which throws for a bad one.
   */
  static Address of(byte[] bytes, int offset, int length) {
    int hash = 0x811C9DC5;
    for (int i = offset; i < offset + length; i++) {
      hash = (hash ^ bytes[i]) * 0x01000193;
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    Entry known = TABLE[slot];
    if (known != null
        && Arrays.equals(known.text, 0, known.text.length, bytes, offset, offset + length)) {
      return known.address;
    }
    Address parsed = Address.parse(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
    TABLE[slot] = new Entry(Arrays.copyOfRange(bytes, offset, offset + length), parsed);
    return parsed;
  }
}
