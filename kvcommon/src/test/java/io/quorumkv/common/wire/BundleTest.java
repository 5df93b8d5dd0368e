package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bundle's framing: parts come back whole and in order; broken framing delivers nothing. */
class BundleTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> parts(byte[] buffer, int offset, int length) {
    List<String> out = new ArrayList<>();
    int n = Bundle.forEachPart(buffer, offset, length,
        (b, o, len) -> out.add(new String(b, o, len, StandardCharsets.UTF_8)));
    if (n < 0) {
      return null;
    }
    assertEquals(n, out.size());
    return out;
  }

  @Test
  void packsPartsThatComeBackInOrder() {
    byte[] bundle = Bundle.pack(List.of(bytes("{\"a\":1}"), bytes("{}"), bytes("x".repeat(300))));
    assertEquals(Bundle.size(List.of(bytes("{\"a\":1}"), bytes("{}"), bytes("x".repeat(300)))),
        bundle.length);
    assertTrue(Bundle.isBundle(bundle, 0, bundle.length));
    assertEquals(List.of("{\"a\":1}", "{}", "x".repeat(300)), parts(bundle, 0, bundle.length));
  }

  @Test
  void readsABundleInsideALargerBuffer() {
    byte[] bundle = Bundle.pack(List.of(bytes("{}"), bytes("[]")));
    byte[] buffer = new byte[bundle.length + 10];
    Arrays.fill(buffer, (byte) '?');
    System.arraycopy(bundle, 0, buffer, 4, bundle.length);
    assertEquals(List.of("{}", "[]"), parts(buffer, 4, bundle.length));
  }

  @Test
  void plainJsonIsNotABundle() {
    byte[] json = bytes("{\"v\":1}");
    assertFalse(Bundle.isBundle(json, 0, json.length));
    assertFalse(Bundle.isBundle(json, 0, 0));
    assertEquals(null, parts(json, 0, json.length));
    byte[] bundle = Bundle.pack(List.of(bytes("{}")));
    assertFalse(Bundle.isBundle(null, 0, 3), "no buffer");
    assertFalse(Bundle.isBundle(bundle, 1, bundle.length), "a range past the end");
    assertFalse(Bundle.isBundle(bundle, -1, 2), "a range before the start");
    byte[] huge = new byte[Limits.MAX_DATAGRAM_BYTES + 1];
    assertFalse(Bundle.isBundle(huge, 0, huge.length), "larger than a datagram");
    assertTrue(Bundle.isBundle(huge, 0, huge.length - 1));
    assertEquals(null, parts(bundle, 0, bundle.length + 1));
  }

  @Test
  void datagramsCarryThePartsInOrderInAsFewBundlesAsFit() {
    assertEquals(List.of(), Bundle.datagrams(List.of()));
    byte[] lone = bytes("{}");
    assertEquals(List.of(lone), Bundle.datagrams(List.of(lone)), "a lone part goes plain");
    List<byte[]> parts = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      texts.add(i + "x".repeat(1000));
      parts.add(bytes(texts.get(i)));
    }
    List<byte[]> datagrams = Bundle.datagrams(parts);
    List<String> carried = new ArrayList<>();
    for (byte[] d : datagrams) {
      assertTrue(d.length <= Limits.MAX_DATAGRAM_BYTES, d.length + " bytes");
      carried.addAll(parts(d, 0, d.length));
    }
    assertEquals(texts, carried);
    assertEquals(3, datagrams.size(), "8 parts of about 1 KB fill a datagram of 8 KB: 8, 8, 4");
  }

  @Test
  void brokenFramingDeliversNothing() {
    byte[] good = Bundle.pack(List.of(bytes("{}"), bytes("{}")));
    assertEquals(null, parts(good, 0, good.length - 1), "last part cut short");
    assertEquals(null, parts(good, 0, 2), "a length cut in half");
    assertEquals(null, parts(new byte[] {Bundle.MARKER}, 0, 1), "no parts");
    assertEquals(null, parts(new byte[] {Bundle.MARKER, 0, 0, '{', '}'}, 0, 5), "empty part");
    byte[] nested = {Bundle.MARKER, 0, 3, Bundle.MARKER, 0, 0};
    assertEquals(null, parts(nested, 0, nested.length), "a bundle in a bundle");
    byte[] huge = {Bundle.MARKER, (byte) 0xFF, (byte) 0xFF, '{', '}'};
    assertEquals(null, parts(huge, 0, huge.length), "a length past the end");
  }

  @Test
  void refusesToPackWhatIsNotOneMessage() {
    assertThrows(IllegalArgumentException.class, () -> Bundle.pack(List.of(new byte[0])));
    assertThrows(IllegalArgumentException.class,
        () -> Bundle.pack(List.of(Bundle.pack(List.of(bytes("{}"))))));
  }

  @Test
  void aPartIsCopiedByteForByte() {
    byte[] part = new byte[Limits.MAX_DATAGRAM_BYTES - 3];
    Arrays.fill(part, (byte) '7');
    part[0] = '{';
    byte[] bundle = Bundle.pack(List.of(part));
    assertEquals(Limits.MAX_DATAGRAM_BYTES, bundle.length);
    List<byte[]> got = new ArrayList<>();
    Bundle.forEachPart(bundle, 0, bundle.length, (b, o, n) -> got.add(Arrays.copyOfRange(b, o, o + n)));
    assertArrayEquals(part, got.get(0));
  }
}
