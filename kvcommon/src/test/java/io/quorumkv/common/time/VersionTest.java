package io.quorumkv.common.time;

import static io.quorumkv.common.time.HybridClock.pack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumkv.common.wire.Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Last writer wins: a total order on (timestamp, writer) that every replica applies alike. */
class VersionTest {

  private static Version version(String physicalDotLogical, String writer) {
    String[] parts = physicalDotLogical.split("\\.");
    return new Version(pack(Long.parseLong(parts[0]), Integer.parseInt(parts[1])),
        Address.parse(writer));
  }

  @ParameterizedTest(name = "{0}@{1} vs {2}@{3} -> {4}")
  @CsvSource({
      // a timestamp, a writer,   b timestamp, b writer,       a vs b
      "1000.0,  127.0.0.1:7001,   999.0,   127.0.0.1:7001,     1",   // later physical wins
      "1000.1,  127.0.0.1:7001,   1000.0,  127.0.0.1:7009,     1",   // then the counter
      "1000.0,  127.0.0.1:7001,   1000.1,  127.0.0.1:7001,     -1",
      "1000.0,  127.0.0.1:7002,   1000.0,  127.0.0.1:7001,     1",   // tie: higher address
      "1000.0,  127.0.0.1:7001,   1000.0,  127.0.0.1:7002,     -1",
      "1000.0,  127.0.0.2:7000,   1000.0,  127.0.0.1:7999,     1",   // host before port
      "1000.0,  127.0.0.1:7001,   1000.0,  127.0.0.1:7001,     0",   // the same write
      "1.0,     -:0,              0.0,     -:0,                1",
  })
  void newerTimestampWinsThenHigherWriter(String aTime, String aWriter, String bTime,
      String bWriter, int expected) {
    Version a = version(aTime, aWriter);
    Version b = version(bTime, bWriter);
    assertEquals(expected, Integer.signum(a.compareTo(b)));
    assertEquals(-expected, Integer.signum(b.compareTo(a)));
    assertEquals(expected > 0, a.isNewerThan(b));
    assertEquals(expected == 0, a.equals(b));
    assertSame(expected >= 0 ? a : b, Version.newest(a, b));
  }

  @Test
  void timestampsCompareUnsigned() {
    Version late = new Version(pack(1L << 47, 0), Address.parse("127.0.0.1:7001"));
    Version early = new Version(pack(1_700_000_000_000L, 0), Address.parse("127.0.0.1:7001"));
    assertTrue(late.isNewerThan(early));
  }

  @Test
  void zeroIsBelowEveryVersionAndSortingAgreesWithIt() {
    SplittableRandom random = new SplittableRandom(5);
    List<Version> versions = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      versions.add(new Version(random.nextLong(0, 4), new Address("127.0.0." + random.nextInt(3),
          7000 + random.nextInt(3))));
    }
    versions.add(new Version(0, new Address("-", 1)));
    versions.add(new Version(0, new Address("--", 0)));
    versions.add(Version.ZERO);
    Collections.shuffle(versions, new Random(1));
    Collections.sort(versions);
    assertEquals(Version.ZERO, versions.get(0));
    for (int i = 1; i < versions.size(); i++) {
      Version previous = versions.get(i - 1);
      Version current = versions.get(i);
      assertTrue(previous.compareTo(current) <= 0);
      // compareTo is consistent with equals: 0 exactly for the same timestamp and writer.
      assertEquals(previous.equals(current), previous.compareTo(current) == 0);
    }
    assertFalse(Version.ZERO.isNewerThan(Version.ZERO));
  }

  @Test
  void travelsAsPlainJson() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    Version version = version("1700000000000.3", "127.0.0.1:7001");
    String json = mapper.writeValueAsString(version);
    assertEquals("{\"timestamp\":" + pack(1_700_000_000_000L, 3)
        + ",\"writer\":\"127.0.0.1:7001\"}", json);
    assertEquals(version, mapper.readValue(json, Version.class));
    assertEquals(Version.ZERO, mapper.readValue(mapper.writeValueAsString(Version.ZERO),
        Version.class));
  }

  @Test
  void readsWellInLogs() {
    assertEquals("1700000000000.3@127.0.0.1:7001",
        version("1700000000000.3", "127.0.0.1:7001").toString());
  }

  @Test
  void requiresAWriter() {
    assertThrows(IllegalArgumentException.class, () -> new Version(1, null));
  }

  /** Equality by value, with the hash the record's generated method gave (see AddressTest). */
  @Test
  void equalsByTimestampAndWriterWithTheRecordsHash() {
    Address w = new Address("127.0.0.1", 7001);
    Version v = new Version(pack(1_700_000_000_000L, 3), w);
    assertEquals(v, new Version(pack(1_700_000_000_000L, 3), Address.parse("127.0.0.1:7001")));
    assertFalse(v.equals(new Version(pack(1_700_000_000_000L, 4), w)));
    assertFalse(v.equals(new Version(pack(1_700_000_000_000L, 3), new Address("127.0.0.1", 7002))));
    assertEquals(31 * Long.hashCode(v.timestamp()) + w.hashCode(), v.hashCode());
  }
}
