package io.quorumkv.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory engine and the last-writer-wins merge over it. */
class MemoryStorageTest {

  private static final Address W = new Address("127.0.0.1", 7001);
  private static final Address X = new Address("127.0.0.1", 7002);

  @Test
  void absentKeysReadAsAbsentAndScansGoInKeyOrderByPages() {
    MemoryStorage s = new MemoryStorage();
    assertEquals(KeyRecord.absent("a"), s.get("a"));
    for (String k : List.of("c", "a", "d", "b")) {
      s.put(new KeyRecord(k, k, false, new Version(1, W)));
    }
    assertEquals(List.of("a", "b"), s.scan(null, 2).stream().map(KeyRecord::key).toList());
    assertEquals(List.of("c", "d"), s.scan("b", 2).stream().map(KeyRecord::key).toList());
    assertEquals(List.of(), s.scan("d", 2));
    s.remove("a");
    assertEquals(3, s.size());
  }

  /**
   * Stabilization, anti-entropy and the orphan sweep walk the whole store by pages, so a walk by
   * pages must cost about one pass over the records, not a pass per page (a page that counted
   * the rest of the map made a walk of 100,000 keys by pages of 512 some 100 times slower than
   * one pass). The best of a few rounds, so a pause of the machine does not decide.
   */
  @Test
  void aWalkByPagesCostsAboutOnePassOverTheStore() {
    MemoryStorage s = new MemoryStorage();
    int keys = 100_000;
    for (int i = 0; i < keys; i++) {
      s.put(new KeyRecord(String.format("key-%08d", i), "v", false, new Version(1, W)));
    }
    long onePass = Long.MAX_VALUE;
    long byPages = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      assertEquals(keys, s.scan(null, keys).size());
      long t1 = System.nanoTime();
      int walked = 0;
      String after = null;
      List<KeyRecord> page;
      do {
        page = s.scan(after, 512);
        walked += page.size();
        after = page.isEmpty() ? after : page.get(page.size() - 1).key();
      } while (page.size() == 512);
      long t2 = System.nanoTime();
      assertEquals(keys, walked);
      onePass = Math.min(onePass, t1 - t0);
      byPages = Math.min(byPages, t2 - t1);
    }
    assertTrue(byPages < 10 * onePass, "a walk by pages took " + byPages / 1000
        + " us, one pass " + onePass / 1000 + " us");
  }

  /** Records decoded from different datagrams carry equal writers as separate objects. */
  @Test
  void recordsOfOneWriterShareOneAddressAndReadBackEqual() {
    MemoryStorage s = new MemoryStorage();
    KeyRecord a = new KeyRecord("a", "1", false, new Version(5, Address.parse("127.0.0.1:40001")));
    KeyRecord b = new KeyRecord("b", "2", false, new Version(6, Address.parse("127.0.0.1:40001")));
    KeyRecord c = new KeyRecord("c", "", true, new Version(7, Address.parse("127.0.0.1:40002")));
    s.put(a);
    s.put(b);
    s.put(c);
    assertEquals(a, s.get("a"));
    assertEquals(b, s.get("b"));
    assertEquals(c, s.get("c"));
    assertSame(s.get("a").version().writer(), s.get("b").version().writer());
    assertNotSame(s.get("a").version().writer(), s.get("c").version().writer());
    assertEquals(List.of(a, b, c), s.scan(null, 10));
  }

  /**
   * The identity cache in front of the writer table: instances given again, alternately and
   * after more distinct ones than it remembers, still come back as the first instance kept.
   */
  @Test
  void repeatedAndAlternatingWriterInstancesAllShareTheFirst() {
    MemoryStorage s = new MemoryStorage();
    Address first = Address.parse("127.0.0.1:40001");
    Address second = Address.parse("127.0.0.1:40001");
    Address other = Address.parse("127.0.0.1:40002");
    int n = 0;
    for (int round = 0; round < 3; round++) {
      for (Address given : List.of(first, second, other, second, first)) {
        s.put(new KeyRecord("k" + n++, "v", false, new Version(n, given)));
      }
      for (int i = 0; i < MemoryStorage.RECENT_WRITERS + 2; i++) {
        s.put(new KeyRecord("k" + n++, "v", false,
            new Version(n, Address.parse("127.0.0.1:40001"))));
      }
    }
    for (int i = 0; i < n; i++) {
      Address kept = s.get("k" + i).version().writer();
      assertSame(kept.port() == 40001 ? first : other, kept, "k" + i);
    }
  }

  @Test
  void aFullTableOfWritersStartsOverAndStillStoresEveryRecordAsGiven() {
    MemoryStorage s = new MemoryStorage();
    for (int i = 0; i <= MemoryStorage.MAX_WRITERS + 10; i++) {
      KeyRecord r = new KeyRecord("k" + i, "v", false, new Version(1, new Address("10.0.0.1",
          1 + i)));
      s.put(r);
      assertEquals(r, s.get("k" + i));
    }
    KeyRecord again = new KeyRecord("x", "v", false, new Version(2, new Address("10.0.0.1",
        MemoryStorage.MAX_WRITERS + 11)));
    s.put(again);
    assertSame(s.get("k" + (MemoryStorage.MAX_WRITERS + 10)).version().writer(),
        s.get("x").version().writer());
    assertEquals(MemoryStorage.MAX_WRITERS + 12, s.size());
  }

  @Test
  void theHigherVersionWinsWhateverArrivesFirst() {
    MemoryStorage s = new MemoryStorage();
    KeyRecord older = new KeyRecord("k", "old", false, new Version(5, X));
    KeyRecord newer = new KeyRecord("k", "", true, new Version(6, W));
    assertTrue(LastWriterWins.merge(s, newer));
    assertFalse(LastWriterWins.merge(s, older));
    assertEquals(newer, s.get("k"));
    // equal timestamps: the writer address breaks the tie, the same way on every replica
    KeyRecord tie = new KeyRecord("k", "x", false, new Version(6, X));
    assertTrue(LastWriterWins.merge(s, tie));
    assertFalse(LastWriterWins.merge(s, newer));
  }
}
