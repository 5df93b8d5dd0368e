package io.quorumkv.node.kv;

import io.quorumkv.common.wire.AeDigest;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.nio.charset.StandardCharsets;

/**
 * The pure arithmetic of anti-entropy digests: which bucket a key falls in, and the 64-bit hash
 * of one stored record. A bucket's hash is the XOR of its records' hashes, so it depends on the
 * set of (key, version) pairs alone, not on the order they were seen in, and two replicas that
 * hold the same records of a bucket compute the same hash. Everything is derived from the key's
 * and writer's bytes (SHA-256 and FNV-1a), never from {@code hashCode}, so nodes on different
 * JVMs agree.
 */
final class AeHashes {

  private AeHashes() {
  }

  /** The bucket of a key whose 64-bit hash is {@code keyHash}: its top bits. */
  static int bucketOf(long keyHash) {
    return (int) (keyHash >>> (Long.SIZE - Integer.numberOfTrailingZeros(AeDigest.BUCKETS)));
  }

  /**
   * The record's hash: its key (given as its 64-bit hash, which the caller already has), version
   * (timestamp and writer) and whether it is a tombstone.
   */
  static long hash(KeyRecord r, long keyHash) {
    long h = keyHash;
    h ^= mix(r.version().timestamp());
    h ^= mix(fnv(r.version().writer()) + 1);
    return mix(h ^ (r.tombstone() ? 0x9E3779B97F4A7C15L : 0));
  }

  /** SplitMix64's finalizer: every input bit affects every output bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * FNV-1a of the address's text {@code host:port} in UTF-8, computed without building the text:
   * this runs for every record of every anti-entropy walk.
   */
  static long fnv(Address a) {
    String host = a.host();
    long h = 0xCBF29CE484222325L;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c >= 0x80) {
        return fnv(a.toString()); // a non-ASCII host name: the slow path, same result
      }
      h = (h ^ c) * 0x100000001B3L;
    }
    h = (h ^ ':') * 0x100000001B3L;
    int port = a.port();
    int divisor = 1;
    while (divisor <= port / 10) {
      divisor *= 10;
    }
    for (; divisor > 0; divisor /= 10) {
      h = (h ^ ('0' + port / divisor % 10)) * 0x100000001B3L;
    }
    return h;
  }

  static long fnv(String s) {
    long h = 0xCBF29CE484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * 0x100000001B3L;
    }
    return h;
  }
}
