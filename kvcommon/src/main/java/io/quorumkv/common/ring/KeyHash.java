package io.quorumkv.common.ring;

import java.nio.charset.StandardCharsets;

/**
 * The stable 64-bit hash that places keys and virtual nodes on the ring: the first half (h1) of
 * MurmurHash3 x64-128 with seed 0 over the text's UTF-8 bytes, the hash Cassandra's default
 * partitioner places keys with.
 *
 * <p>Why MurmurHash3 and not {@code hashCode} or SHA-256: the ring must give every node, client
 * and test the same answer in every JVM, version and run, forever (a key's replicas are found by
 * hashing its name), so it needs a fixed, published function; {@code String.hashCode} is only 32
 * bits and clusters on similar strings. This was SHA-256 until the profiles of a node under load
 * showed it (through {@code MessageDigest}, whose per-call copying and padding cost more than the
 * rounds themselves) at a quarter of the loop's time: every request hashes its key and every
 * background walk (anti-entropy, the orphan sweep) hashes each key it visits. MurmurHash3 is
 * published with test vectors (pinned in the tests), spreads keys evenly, and costs a few
 * multiplications per 16 bytes. We need spread, not collision resistance: a client that crafts
 * keys to land on one node could as well write them all to one key.
 *
 * <p>Stateless and allocation-free apart from the UTF-8 bytes of a non-ASCII text; safe from
 * any thread.
 */
public final class KeyHash {

  private static final long C1 = 0x87C37B91114253D5L;
  private static final long C2 = 0x4CF5AD432745937FL;

  private KeyHash() {}

  /** The token of a text: a key name or a virtual node label. */
  public static long of(String text) {
    if (text == null) {
      throw new IllegalArgumentException("cannot hash a missing text");
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return of(text.getBytes(StandardCharsets.UTF_8));
      }
    }
    // ASCII: its characters are its UTF-8 bytes, read in place. Encoding a copy first was most
    // of the hash's cost in profiles of a walk over 100,000 keys.
    return murmur(null, text, text.length());
  }

  /** The token of raw bytes: h1 of their MurmurHash3 x64-128, seed 0. */
  public static long of(byte[] bytes) {
    return murmur(bytes, null, bytes.length);
  }

  /** MurmurHash3 x64-128's h1 over {@code bytes}, or over {@code ascii}'s characters as bytes. */
  private static long murmur(byte[] bytes, String ascii, int length) {
    int blocks = length / 16;
    long h1 = 0;
    long h2 = 0;
    for (int i = 0; i < blocks; i++) {
      long k1 = littleEndian(bytes, ascii, i * 16, 8);
      long k2 = littleEndian(bytes, ascii, i * 16 + 8, 8);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52DCE729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495AB5;
    }
    // The tail: up to 15 bytes, the first 8 into k1 and the rest into k2, little-endian.
    int tail = blocks * 16;
    int rest = length - tail;
    if (rest > 8) {
      h2 ^= mixK2(littleEndian(bytes, ascii, tail + 8, rest - 8));
    }
    if (rest > 0) {
      h1 ^= mixK1(littleEndian(bytes, ascii, tail, Math.min(rest, 8)));
    }
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    return h1;
  }

  private static long mixK1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  private static long mixK2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  /** MurmurHash3's 64-bit finalizer: every input bit affects every output bit. */
  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB9FE1A85EC53L;
    k ^= k >>> 33;
    return k;
  }

  /** {@code count} (1 to 8) bytes from {@code offset} as a little-endian long. */
  private static long littleEndian(byte[] bytes, String ascii, int offset, int count) {
    long v = 0;
    for (int i = count - 1; i >= 0; i--) {
      int b = bytes != null ? bytes[offset + i] & 0xFF : ascii.charAt(offset + i);
      v = (v << 8) | b;
    }
    return v;
  }
}
