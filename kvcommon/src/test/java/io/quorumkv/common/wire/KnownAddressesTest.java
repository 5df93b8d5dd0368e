package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder's address table: the same answers as {@link Address#parse}, bounded, shared. */
class KnownAddressesTest {

  @Test
  void anAddressReadAgainIsTheSameInstance() {
    byte[] framed = "xx127.0.0.1:7001yy".getBytes(StandardCharsets.US_ASCII);
    Address first = KnownAddresses.of(framed, 2, 14);
    assertEquals(Address.parse("127.0.0.1:7001"), first);
    assertSame(first, KnownAddresses.of(ascii("127.0.0.1:7001"), 0, 14));
  }

  @Test
  void moreAddressesThanSlotsStillReadEachCorrectly() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < KnownAddresses.SLOTS * 4; i++) {
      texts.add("10.0." + (i / 250) + "." + (i % 250) + ":" + (7000 + i));
    }
    for (int round = 0; round < 2; round++) {
      for (String text : texts) {
        byte[] bytes = ascii(text);
        assertEquals(Address.parse(text), KnownAddresses.of(bytes, 0, bytes.length), text);
      }
    }
  }

  @Test
  void aBadAddressThrowsAsParseDoesAndIsNotRemembered() {
    for (int i = 0; i < 2; i++) {
      byte[] bytes = ascii("host:65536");
      assertThrows(IllegalArgumentException.class, () -> KnownAddresses.of(bytes, 0, 10));
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
