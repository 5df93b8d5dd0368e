package io.quorumkv.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
