package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Address has one spelling, "host:port", that parses and formats to itself, and a total order. */
class AddressTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1:7000        | 127.0.0.1            | 7000",
      "a:0                   | a                    | 0",
      "h:65535               | h                    | 65535",
      "255.255.255.255:65535 | 255.255.255.255      | 65535",
      "localhost:1           | localhost            | 1",
      "node-1.example.com:10 | node-1.example.com   | 10",
      "Mixed_Case.host:9     | Mixed_Case.host      | 9",
  })
  void parsesAndFormatsToTheSameText(String text, String host, int port) {
    Address address = Address.parse(text);
    assertEquals(new Address(host, port), address);
    assertEquals(text, address.toString());
  }

  @Test
  void longestHostIsAccepted() {
    String text = "h".repeat(Address.MAX_HOST_LENGTH) + ":1";
    assertEquals(text, Address.parse(text).toString());
  }

  static List<String> invalidTexts() {
    return Arrays.asList(null, "", "nohost", "a:b", "h:70000", "h:65536", "h:99999", "h:123456",
        ":80", "h:", ":", "host with spaces:80", " h:80", "h:80 ", "h\t:80", "h:-1", "h:+80",
        "h:080", "h:00", "h:1:2", "[::1]:80", "::1", "h:\u0668\u0660", "caf\u00e9:80",
        "h\u0000:80", "h\n:80", "h:1e3", "h:0x50", "h".repeat(Address.MAX_HOST_LENGTH + 1) + ":1");
  }

  @ParameterizedTest
  @MethodSource("invalidTexts")
  void rejectsEverythingElseWithIllegalArgument(String text) {
    assertThrows(IllegalArgumentException.class, () -> Address.parse(text));
  }

  @Test
  void constructorChecksHostAndPort() {
    assertThrows(IllegalArgumentException.class, () -> new Address("h", -1));
    assertThrows(IllegalArgumentException.class, () -> new Address("h", 65_536));
    assertThrows(IllegalArgumentException.class, () -> new Address("", 1));
    assertThrows(IllegalArgumentException.class, () -> new Address(null, 1));
    assertThrows(IllegalArgumentException.class, () -> new Address("a:b", 1));
  }

  @Test
  void everyPortFormatsAndParsesBack() {
    for (int port = 0; port <= 65_535; port++) {
      Address address = new Address("h", port);
      assertEquals(address, Address.parse(address.toString()));
    }
  }

  @Test
  void ordersByHostTextThenByPortNumber() {
    // Ports compare as numbers (9 before 10); hosts as text, so upper case sorts first.
    List<Address> expected = List.of(Address.parse("A:1"), Address.parse("a:9"),
        Address.parse("a:10"), Address.parse("a:443"), Address.parse("b:1"),
        Address.parse("b.c:0"), Address.parse("b.c:65535"));
    List<Address> shuffled = new ArrayList<>(expected);
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 20; round++) {
      for (int i = shuffled.size() - 1; i > 0; i--) {
        Collections.swap(shuffled, i, random.nextInt(i + 1));
      }
      Collections.sort(shuffled);
      assertEquals(expected, shuffled);
    }
  }

  @Test
  void orderIsConsistentWithEquals() {
    List<Address> all = List.of(Address.parse("a:1"), new Address("a", 1), Address.parse("a:2"),
        Address.parse("b:1"));
    for (Address x : all) {
      for (Address y : all) {
        assertEquals(x.equals(y), x.compareTo(y) == 0, x + " vs " + y);
        assertEquals(Integer.signum(x.compareTo(y)), -Integer.signum(y.compareTo(x)));
      }
    }
  }

  /**
   * Equality by value; and the hash the record's generated method gave, so that hash-map
   * iteration orders (and with them the emulator's seeded replays) did not move.
   */
  @Test
  void equalsByHostAndPortWithTheRecordsHash() {
    Address a = new Address("127.0.0.1", 7001);
    assertEquals(a, Address.parse("127.0.0.1:7001"));
    assertEquals(a.hashCode(), Address.parse("127.0.0.1:7001").hashCode());
    assertNotEquals(a, new Address("127.0.0.1", 7002));
    assertNotEquals(a, new Address("127.0.0.2", 7001));
    assertNotEquals(a, "127.0.0.1:7001");
    assertEquals(31 * "127.0.0.1".hashCode() + 7001, a.hashCode());
  }
}
