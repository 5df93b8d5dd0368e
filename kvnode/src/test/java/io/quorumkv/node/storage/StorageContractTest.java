package io.quorumkv.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every engine behind {@link Storage} must do, run against each of them: round trips of
 * values and tombstones, key-order scans by pages, exact counts and sizes, the clock's starting
 * point, and refusing strings that are not Unicode.
 */
abstract class StorageContractTest {

  static final Address W = new Address("127.0.0.1", 7001);
  static final Address X = new Address("10.0.0.2", 65_535);

  /** A fresh, empty engine. */
  abstract Storage storage();

  static KeyRecord live(String key, String value, long timestamp) {
    return new KeyRecord(key, value, false, new Version(timestamp, W));
  }

  static KeyRecord tombstone(String key, long timestamp) {
    return new KeyRecord(key, "", true, new Version(timestamp, X));
  }

  @Test
  void recordsComeBackAsStoredAndAbsentKeysReadAsAbsent() {
    Storage s = storage();
    List<KeyRecord> records = List.of(
        live("plain", "value", 1),
        live("empty-value", "", 2),
        tombstone("deleted", 3),
        live("unicode \u00e9\u4e2d\ud83d\ude00", "v\u00e9\u4e2d\ud83d\ude00\n\t", 4),
        // the top bit of the timestamp set: compared unsigned, stored as is
        new KeyRecord("far", "future", false, new Version(-2L, X)));
    for (KeyRecord r : records) {
      s.put(r);
    }
    for (KeyRecord r : records) {
      assertEquals(r, s.get(r.key()));
    }
    assertEquals(KeyRecord.absent("never"), s.get("never"));
    assertEquals(records.size(), s.size());
  }

  @Test
  void scansWalkEveryKeyInOrderByPages() {
    Storage s = storage();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      keys.add(String.format("key-%04d", i));
    }
    List<String> shuffled = new ArrayList<>(keys);
    Collections.shuffle(shuffled, new Random(7));
    for (String k : shuffled) {
      s.put(k.endsWith("7") ? tombstone(k, 9) : live(k, k, 9));
    }
    List<String> walked = new ArrayList<>();
    String after = null;
    while (true) {
      List<KeyRecord> page = s.scan(after, 64);
      page.forEach(r -> walked.add(r.key()));
      if (page.size() < 64) {
        break;
      }
      after = page.get(page.size() - 1).key();
    }
    assertEquals(keys, walked);
    assertEquals(List.of("key-0500", "key-0501"),
        s.scan("key-0499x", 2).stream().map(KeyRecord::key).toList(), "after a key not held");
    assertEquals(List.of(), s.scan("key-0999", 5));
    assertEquals(tombstone("key-0007", 9), s.scan("key-0006", 1).get(0));
  }

  /**
   * A scan reads what a point read does: the newest record of each key, after overwrites, and a
   * removed key that is stored again appears once.
   */
  @Test
  void scansSeeOverwritesAndKeysRemovedAndStoredAgain() {
    Storage s = storage();
    s.put(live("a", "1", 1));
    s.put(live("b", "1", 1));
    s.put(live("c", "1", 1));
    s.put(tombstone("b", 2));
    s.put(live("a", "2", 3));
    s.remove("c");
    assertEquals(List.of(live("a", "2", 3), tombstone("b", 2)), s.scan(null, 10));
    s.put(live("c", "3", 4));
    s.put(live("c", "4", 5));
    assertEquals(List.of(tombstone("b", 2), live("c", "4", 5)), s.scan("a", 10));
    assertEquals(live("c", "4", 5), s.get("c"));
    assertEquals(3, s.size());
  }

  @Test
  void countsAndStoredBytesFollowPutsReplacementsAndRemovals() {
    Storage s = storage();
    s.put(live("a", "1234567890", 1));
    // 1 key byte + 13 fixed + 9 host ("127.0.0.1") + 10 value bytes
    assertEquals(33L, s.figures().get("storage.stored-bytes"));
    s.put(live("a", "12", 2));
    s.put(tombstone("b", 3));
    assertEquals(2, s.size());
    assertEquals(2L, s.figures().get("storage.keys"));
    assertEquals(25L + 22L, s.figures().get("storage.stored-bytes"));
    s.remove("a");
    s.remove("never-held");
    assertEquals(1, s.size());
    assertEquals(22L, s.figures().get("storage.stored-bytes"));
    s.remove("b");
    assertEquals(0, s.size());
    assertEquals(0L, s.figures().get("storage.stored-bytes"));
  }

  @Test
  void theHighestTimestampIsKeptEvenAfterItsRecordIsRemoved() {
    Storage s = storage();
    assertEquals(0L, s.highestTimestamp());
    s.put(live("a", "x", 500));
    s.put(live("b", "x", 70));
    s.remove("a");
    assertEquals(500L, s.highestTimestamp());
    s.put(live("c", "x", -5L)); // unsigned: larger than every positive timestamp
    assertEquals(-5L, s.highestTimestamp());
  }

  @Test
  void lastWriterWinsOverTheEngine() {
    Storage s = storage();
    KeyRecord older = new KeyRecord("k", "old", false, new Version(5, X));
    KeyRecord newer = tombstone("k", 6);
    assertEquals(true, LastWriterWins.merge(s, newer));
    assertEquals(false, LastWriterWins.merge(s, older));
    assertEquals(newer, s.get("k"));
  }

  /** Only the durable engine must refuse: the heap one keeps any String. */
  void refusesLoneSurrogates(Storage s) {
    assertThrows(IllegalArgumentException.class, () -> s.put(live("bad\ud800", "v", 1)));
    assertThrows(IllegalArgumentException.class, () -> s.put(live("k", "bad\udc00", 1)));
    assertEquals(0, s.size());
  }
}
