package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link StrictUtf8} against the JDK's strict UTF-8 decoder, which the codec used before it
 * checked bytes in place: the same byte ranges must be refused, at the same first bad byte, plus
 * every range holding a NUL byte. Each case is checked alone and inside a larger buffer, after
 * ASCII runs of every length up to 16 (so that it straddles the eight-byte ASCII steps) and
 * followed by bytes outside the range that would be invalid if read.
 */
class StrictUtf8Test {

  /** Bytes around every boundary of the well-formed ranges (Unicode table 3-7), and ASCII. */
  private static final int[] EDGES = {0x00, 0x01, 'a', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
      0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5,
      0xFF};

  /** What follows the range in the buffer: see {@link #check}. */
  private static final byte[][] AFTER = {
      {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
          (byte) 0x80, (byte) 0x80},
      {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
          (byte) 0xFF, 0},
      {}};

  private final CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final CharBuffer chars = CharBuffer.allocate(64);

  @Test
  void everyOneAndTwoByteRangeIsJudgedAsTheJdkJudgesIt() {
    for (int a = 0; a < 256; a++) {
      check(new byte[] {(byte) a});
      for (int b = 0; b < 256; b++) {
        check(new byte[] {(byte) a, (byte) b});
      }
    }
  }

  @Test
  void everyCombinationOfFourEdgeBytesIsJudgedAsTheJdkJudgesIt() {
    for (int a : EDGES) {
      for (int b : EDGES) {
        for (int c : EDGES) {
          check(new byte[] {(byte) a, (byte) b, (byte) c});
          for (int d : EDGES) {
            check(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
          }
        }
      }
    }
  }

  @Test
  void everyCodePointButNulIsAccepted() {
    for (int cp = 1; cp <= Character.MAX_CODE_POINT; cp++) {
      if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
        byte[] bytes = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, StrictUtf8.invalidAt(bytes, 0, bytes.length), Integer.toHexString(cp));
      }
    }
    assertEquals(0, StrictUtf8.invalidAt(new byte[1], 0, 1));
  }

  @Test
  void randomMixesOfAsciiAndHighBytesAreJudgedAsTheJdkJudgesThem() {
    SplittableRandom random = new SplittableRandom(0x07F8_0001L);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(48)];
      for (int k = 0; k < bytes.length; k++) {
        // Mostly ASCII, as datagrams are, so that long ASCII runs meet the eight-byte steps.
        bytes[k] = (byte) (random.nextInt(4) == 0 ? 0x80 + random.nextInt(128)
            : 1 + random.nextInt(127));
      }
      check(bytes);
    }
  }

  @Test
  void problemsNameTheByteOrderMarkNulAndPositionFromTheOffset() {
    byte[] text = "xx{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    assertNull(StrictUtf8.problem(text, 2, text.length - 2));
    byte[] bom = {'x', (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
    assertEquals("byte order mark", StrictUtf8.problem(bom, 1, 5));
    // U+FEFF past the start is only a character (inside a string it is legal JSON).
    assertNull(StrictUtf8.problem(bom, 0, 6));
    byte[] nul = {'x', '{', 0, '}'};
    assertEquals("NUL byte at 1", StrictUtf8.problem(nul, 1, 3));
    byte[] overlong = {'x', '"', (byte) 0xC0, (byte) 0xAF, '"'};
    assertEquals("not UTF-8 at byte 1", StrictUtf8.problem(overlong, 1, 4));
  }

  /**
   * Checks {@code sequence} after 0 to 16 ASCII bytes, inside a buffer with bytes before and
   * after the range that must not be read: continuation bytes that would complete a sequence cut
   * by the range's end, invalid bytes and a NUL, or nothing (the range ends the array).
   */
  private void check(byte[] sequence) {
    int expected = jdkInvalidAt(sequence);
    for (byte[] after : AFTER) {
      for (int pad = 0; pad <= 16; pad++) {
        byte[] buffer = new byte[3 + pad + sequence.length + after.length];
        Arrays.fill(buffer, 0, 3, (byte) 0xFF);
        Arrays.fill(buffer, 3, 3 + pad, (byte) 'a');
        System.arraycopy(sequence, 0, buffer, 3 + pad, sequence.length);
        System.arraycopy(after, 0, buffer, 3 + pad + sequence.length, after.length);
        int actual = StrictUtf8.invalidAt(buffer, 3, pad + sequence.length);
        int want = expected < 0 ? -1 : 3 + pad + expected;
        if (actual != want) {
          assertEquals(want, actual, "bytes " + HexFormat.of().formatHex(sequence) + " after "
              + pad + " ASCII bytes, followed outside the range by "
              + HexFormat.of().formatHex(after));
        }
      }
    }
  }

  /** Where the JDK's strict decoder first fails, or a NUL byte stands if earlier; else -1. */
  private int jdkInvalidAt(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    jdk.reset();
    chars.clear();
    CoderResult result = jdk.decode(in, chars, true);
    int bad = result.isError() ? in.position() : -1;
    if (!result.isError() && jdk.flush(chars).isError()) {
      bad = in.position();
    }
    for (int i = 0; i < bytes.length && (bad < 0 || i < bad); i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return bad;
  }
}
