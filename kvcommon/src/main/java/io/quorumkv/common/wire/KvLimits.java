package io.quorumkv.common.wire;

import java.nio.charset.StandardCharsets;

/**
 * Sizes of keys and values. A value travels whole in one datagram (a replica write carries key,
 * value, version and client id), so its limit leaves room under {@link Limits#MAX_DATAGRAM_BYTES}
 * for the rest of the message. JSON escapes control characters as six bytes each, so a value
 * full of them can be too large once encoded even within these limits; such a request is refused
 * as invalid too, with a reason that says so.
 */
public final class KvLimits {

  /** Longest key, in UTF-8 bytes. Keys are names, not payloads. */
  public static final int MAX_KEY_BYTES = 256;

  /** Longest value, in UTF-8 bytes. */
  public static final int MAX_VALUE_BYTES = 4096;

  /** Longest request timeout a client may ask for, in milliseconds. */
  public static final long MAX_TIMEOUT_MILLIS = 60_000;

  private KvLimits() {
  }

  /** Why {@code key} and {@code value} are not acceptable, or null when they are. */
  public static String problemWith(String key, String value) {
    if (key.isEmpty()) {
      return "key must not be empty";
    }
    int keyBytes = utf8BytesIfOver(key, MAX_KEY_BYTES);
    if (keyBytes > MAX_KEY_BYTES) {
      return "key is " + keyBytes + " bytes, at most " + MAX_KEY_BYTES + " allowed";
    }
    int valueBytes = utf8BytesIfOver(value, MAX_VALUE_BYTES);
    if (valueBytes > MAX_VALUE_BYTES) {
      return "value is " + valueBytes + " bytes, at most " + MAX_VALUE_BYTES + " allowed";
    }
    return null;
  }

  /**
   * The UTF-8 length of {@code s}, or 0 when it cannot exceed {@code max}: no char encodes to
   * more than 3 bytes, so a string of at most max / 3 chars fits without being encoded. Every
   * request is checked, and encoding a copy of its key and value was a request's garbage.
   */
  private static int utf8BytesIfOver(String s, int max) {
    return s.length() <= max / 3 ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
