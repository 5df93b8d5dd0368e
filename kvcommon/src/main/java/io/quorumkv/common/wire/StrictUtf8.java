package io.quorumkv.common.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks in place that a datagram's bytes are text the codec may hand to Jackson's byte parser:
 * well-formed UTF-8 as the Unicode standard defines it (table 3-7: no overlong forms, no encoded
 * surrogates, nothing above U+10FFFF: exactly what the JDK's strict decoder accepts), with no NUL
 * byte and no leading byte order mark.
 *
 * <p>Why not leave it to Jackson: its byte parser rejects bad start and continuation bytes, but
 * decodes overlong forms ({@code C0 AF} becomes '/'), encoded surrogates and values above
 * U+10FFFF without a word, skips a leading UTF-8 byte order mark, and guesses UTF-16 or UTF-32
 * from zero bytes or byte order marks in the first four bytes. A raw NUL byte can never occur in
 * JSON text (control characters in strings must be escaped, and NUL is not whitespace), so
 * refusing it changes no outcome, and it leaves Jackson no zero byte to guess another encoding
 * from; the UTF-16 and UTF-32 byte order marks hold FE or FF, which are never UTF-8. With these
 * checks passed, Jackson reads the bytes as UTF-8, and the strings it builds are the ones a
 * strict decoder would have built.
 *
 * <p>Checking costs one read of the bytes, eight at a time while they are ASCII (most of any
 * datagram: names, numbers, addresses), and no allocation, where decoding them into a String
 * first cost a char array, a String and a second copy of the text.
 */
final class StrictUtf8 {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
  private static final long LOW_BITS = 0x0101_0101_0101_0101L;

  private StrictUtf8() {
  }

  /**
   * Null when {@code length} bytes of {@code bytes} from {@code offset} pass every check, or else
   * a short printable reason naming the position (counted from {@code offset}).
   */
  static String problem(byte[] bytes, int offset, int length) {
    if (length >= 3 && bytes[offset] == (byte) 0xEF && bytes[offset + 1] == (byte) 0xBB
        && bytes[offset + 2] == (byte) 0xBF) {
      return "byte order mark";
    }
    int at = invalidAt(bytes, offset, length);
    if (at < 0) {
      return null;
    }
    return (bytes[at] == 0 ? "NUL byte at " : "not UTF-8 at byte ") + (at - offset);
  }

  /**
   * The index of the first byte of the first NUL or ill-formed sequence, or -1 when there is
   * none. A sequence cut short by the end of the range is ill-formed.
   */
  static int invalidAt(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      if (end - i >= Long.BYTES) {
        long word = (long) LONGS.get(bytes, i);
        // Eight ASCII bytes (no high bit) none of which is zero (the classic has-zero-byte
        // test, exact for bytes below 0x80): the common case, skipped in one step.
        if ((word & HIGH_BITS) == 0 && ((word - LOW_BITS) & ~word & HIGH_BITS) == 0) {
          i += Long.BYTES;
          continue;
        }
      }
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        if (b == 0) {
          return i;
        }
        i++;
        continue;
      }
      int size = sequenceLength(b);
      if (size == 0 || end - i < size || !secondByteFits(b, bytes[i + 1] & 0xFF)) {
        return i;
      }
      for (int k = 2; k < size; k++) {
        if (!isContinuation(bytes[i + k])) {
          return i;
        }
      }
      i += size;
    }
    return -1;
  }

  /** The length of the sequence led by {@code lead} (0x80 or more), or 0 for a byte no lead. */
  private static int sequenceLength(int lead) {
    if (lead >= 0xC2 && lead <= 0xDF) {
      return 2;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
      return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
      return 4;
    }
    // 0x80..0xBF continue a sequence, 0xC0 and 0xC1 could only start overlong forms of ASCII,
    // and 0xF5..0xFF would start values above U+10FFFF.
    return 0;
  }

  /**
   * The second byte's range depends on the lead: that is where overlong forms (E0, F0),
   * surrogates (ED) and values above U+10FFFF (F4) are excluded.
   */
  private static boolean secondByteFits(int lead, int second) {
    return switch (lead) {
      case 0xE0 -> second >= 0xA0 && second <= 0xBF;
      case 0xED -> second >= 0x80 && second <= 0x9F;
      case 0xF0 -> second >= 0x90 && second <= 0xBF;
      case 0xF4 -> second >= 0x80 && second <= 0x8F;
      default -> second >= 0x80 && second <= 0xBF;
    };
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
