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
 * <p>Cost: one SHA-256 block for a short key, well under a microsecond once warm. A request
 * hashes its key once, and background walks (anti-entropy, the orphan sweep) once per key they
 * visit; building a ring of 20 members with 256 virtual nodes hashes 5,120 labels: a few
 * milliseconds once the JIT has warmed up.
 *
 * <p>Threads: {@link MessageDigest} is not thread-safe, so each thread keeps its own instance.
 * An instance per call was simpler, but its provider lookup cost as much as the hash itself in
 * profiles of a node under load.
 */
public final class KeyHash {

  private static final String ALGORITHM = "SHA-256";

  /** digest() resets the instance, so one per thread serves every call of that thread. */
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(KeyHash::newDigest);

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
    byte[] digest = DIGEST.get().digest(bytes);
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
