package io.quorumkv.common.ring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The stable 64-bit hash that places keys and virtual nodes on the ring: the first 8 bytes of the
 * SHA-256 digest of the text's UTF-8 bytes, read big-endian as a long.
 *
 * <p>Why SHA-256 and not {@code hashCode} or a faster non-cryptographic hash: the ring must give
 * every node, client and test the same answer in every JVM, version and run, forever (a key's
 * replicas are found by hashing its name). {@code String.hashCode} is only 32 bits and clusters on
 * similar strings; a home-made 64-bit mix is easy to get subtly wrong. SHA-256 is specified by
 * FIPS 180-4, ships in every JDK ({@link MessageDigest} guarantees it), and its output is uniform,
 * so 64 of its bits make evenly spread tokens. Truncating a digest to 64 bits keeps it a fine
 * hash; we need spread, not collision resistance against an attacker.
 *
 * <p>Cost: one {@code MessageDigest.getInstance} (a provider lookup, well under a microsecond once
 * warm) and one SHA-256 block for a short key, about a microsecond per call in all. A request
 * hashes its key once; building a ring of 20 members with 256 virtual nodes hashes 5,120 labels:
 * a few milliseconds once the JIT has warmed up, about 10 ms in a cold JVM (one-off figures from
 * the 2-core build machine, not asserted by any test).
 *
 * <p>Threads: {@link MessageDigest} is not thread-safe, so every call makes its own instance.
 * Nodes are single-threaded, but the client library may hash from several threads; a digest per
 * call keeps this class stateless and safe without a {@code ThreadLocal} or a lock. Nothing is
 * cached globally.
 */
public final class KeyHash {

  private static final String ALGORITHM = "SHA-256";

  private KeyHash() {}

  /** The token of a text: a key name or a virtual node label. */
  public static long of(String text) {
    if (text == null) {
      throw new IllegalArgumentException("cannot hash a missing text");
    }
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The token of raw bytes: the first 8 bytes of their SHA-256, big-endian. */
  public static long of(byte[] bytes) {
    byte[] digest = newDigest().digest(bytes);
    long token = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      token = (token << 8) | (digest[i] & 0xFF);
    }
    return token;
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's documented requirement), so
      // this is a broken JVM, not a condition to handle.
      throw new IllegalStateException(ALGORITHM + " is missing from this JVM", e);
    }
  }
}
