package io.quorumkv.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.KeyRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * The RocksDB engine: the storage contract, then what only a durable engine must do: keep
 * everything across a close and a reopen, say when writes wait for a sync, and refuse, with one
 * clear line and nothing changed, a directory of another node, another format, another program,
 * or one that is damaged.
 */
class RocksStorageTest extends StorageContractTest {

  @TempDir
  Path tmp;

  private final List<RocksStorage> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(RocksStorage::close);
  }

  @Override
  Storage storage() {
    return open(tmp.resolve("contract"), SyncPolicy.GROUP);
  }

  private RocksStorage open(Path dir, SyncPolicy policy) {
    try {
      RocksStorage s = RocksStorage.open(dir, W, policy);
      opened.add(s);
      return s;
    } catch (StorageException e) {
      throw new AssertionError(e);
    }
  }

  private String refusal(Path dir) {
    StorageException e = assertThrows(StorageException.class,
        () -> opened.add(RocksStorage.open(dir, W, SyncPolicy.GROUP)));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void theNativeLibraryComesFromOneCachedCopyNotANewTemporaryFile() {
    storage();
    Path dir = RocksNative.loadedFrom();
    assertTrue(dir != null && dir.startsWith(Path.of(System.getProperty("java.io.tmpdir"))),
        "loaded from " + dir);
  }

  @Test
  void refusesLoneSurrogates() {
    refusesLoneSurrogates(storage());
  }

  @ParameterizedTest
  @EnumSource(SyncPolicy.class)
  void everythingComesBackAfterCloseAndReopen(SyncPolicy policy) {
    Path dir = tmp.resolve("a").resolve("b"); // missing parents are created
    RocksStorage s = open(dir, policy);
    assertTrue(s.created());
    for (int i = 0; i < 300; i++) {
      s.put(i % 3 == 0 ? tombstone("k" + i, 1000 + i) : live("k" + i, "v" + i, 1000 + i));
    }
    s.put(live("k1", "replaced", 5000));
    s.remove("k299"); // the highest timestamp but one, removed: its timestamp must be kept
    s.put(live("top", "x", 6000));
    s.remove("top");
    List<KeyRecord> before = s.scan(null, 1000);
    long bytes = s.figures().get("storage.stored-bytes");
    s.close();
    opened.remove(s);

    RocksStorage again = open(dir, policy);
    assertFalse(again.created());
    assertEquals(before, again.scan(null, 1000));
    assertEquals(299, again.size());
    assertEquals(new RocksStorage.Recovered(299, bytes, 6000), again.recovered());
    assertEquals(6000, again.highestTimestamp());
    assertEquals(live("k1", "replaced", 5000), again.get("k1"));
    assertEquals(tombstone("k3", 1003), again.get("k3"));
  }

  @Test
  void groupCommitHoldsWritesUnsyncedUntilSyncAndAlwaysSyncsEachWrite() {
    RocksStorage group = open(tmp.resolve("group"), SyncPolicy.GROUP);
    assertFalse(group.hasUnsyncedWrites());
    group.put(live("a", "1", 1));
    group.put(live("b", "1", 2));
    assertTrue(group.hasUnsyncedWrites());
    group.sync();
    assertFalse(group.hasUnsyncedWrites());
    group.sync(); // nothing to do: not counted
    assertEquals(2L, group.figures().get("storage.writes"));
    assertEquals(1L, group.figures().get("storage.syncs"));

    RocksStorage always = open(tmp.resolve("always"), SyncPolicy.ALWAYS);
    always.put(live("a", "1", 1));
    always.remove("a");
    assertFalse(always.hasUnsyncedWrites());
    assertEquals(2L, always.figures().get("storage.syncs"));
    assertTrue(always.figures().get("storage.disk-bytes") > 0);
  }

  @Test
  void refusesAnotherNodesDirectory() throws StorageException {
    Path dir = tmp.resolve("n");
    RocksStorage.open(dir, X, SyncPolicy.GROUP).close();
    assertEquals("belongs to node 10.0.0.2:65535, not to 127.0.0.1:7001: each node needs its"
        + " own data directory (start 10.0.0.2:65535 with it, or give this node a new"
        + " directory)", refusal(dir));
  }

  @Test
  void refusesAnotherStoreFormat() throws Exception {
    Path dir = tmp.resolve("f");
    open(dir, SyncPolicy.ALWAYS).close();
    opened.clear();
    try (RocksHandles raw = RocksHandles.open(dir.toString(), false)) {
      raw.db.put(raw.meta, DataDirectory.FORMAT_KEY, "2".getBytes(StandardCharsets.US_ASCII));
    }
    assertTrue(refusal(dir).startsWith("has store format '2', this kvnode reads format 1 only"));
  }

  @Test
  void refusesWhatIsNotAQuorumKvStoreAndLeavesItAlone() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertEquals("is not a directory", refusal(file));

    Path notes = Files.createDirectories(tmp.resolve("notes"));
    Files.writeString(notes.resolve("todo.txt"), "keep me");
    assertTrue(refusal(notes).startsWith("is not empty and holds no QuorumKV store"));
    assertEquals(List.of("todo.txt"), names(notes));

    Path other = tmp.resolve("other-rocksdb");
    try (Options options = new Options().setCreateIfMissing(true);
        RocksDB db = RocksDB.open(options, other.toString())) {
      db.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(refusal(other).startsWith("is a RocksDB database but not a QuorumKV store"));
  }

  @Test
  void refusesADirectoryInUseByAnotherOpen() {
    Path dir = tmp.resolve("busy");
    open(dir, SyncPolicy.GROUP);
    assertTrue(refusal(dir).startsWith("is in use by another process"), refusal(dir));
  }

  @Test
  void refusesARecordThatDoesNotDecode() throws Exception {
    Path dir = closedStore("bad-record", List.of(live("good", "v", 1)));
    try (RocksHandles raw = RocksHandles.open(dir.toString(), false)) {
      raw.db.put(raw.records, "bad".getBytes(StandardCharsets.UTF_8),
          new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 'h'});
    }
    assertEquals("is damaged: record 0 in key order ('bad'): record format 9, this kvnode"
        + " reads format 1", refusal(dir));
  }

  @Test
  void refusesATableWhoseChecksumsFail() throws Exception {
    List<KeyRecord> records = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      records.add(live(String.format("key-%05d", i), "value-" + i, i + 1));
    }
    Path dir = closedStore("bad-table", records);
    try (RocksHandles raw = RocksHandles.open(dir.toString(), false);
        FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      raw.db.flush(flush, raw.records);
    }
    Path table;
    try (Stream<Path> files = Files.list(dir)) {
      table = files.filter(f -> f.toString().endsWith(".sst")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(table);
    for (int i = 200; i < 264; i++) {
      bytes[i] ^= (byte) 0x5a; // inside the first data block
    }
    Files.write(table, bytes);
    String reason = refusal(dir);
    assertTrue(reason.startsWith("is damaged: "), reason);
  }

  @Test
  void refusesADamagedManifest() throws Exception {
    Path dir = closedStore("bad-manifest", List.of(live("k", "v", 1)));
    Files.writeString(dir.resolve("CURRENT"), "MANIFEST-999999\n");
    String reason = refusal(dir);
    assertTrue(reason.startsWith("is damaged: "), reason);
  }

  @Test
  void aStoreWhoseFirstStartDiedBeforeItsMetadataIsInitialized() throws Exception {
    Path dir = tmp.resolve("half-made");
    RocksNative.load();
    RocksHandles.open(dir.toString(), true).close(); // column families, but no metadata yet
    RocksStorage s = open(dir, SyncPolicy.GROUP);
    assertTrue(s.created());
    assertEquals(0, s.size());
  }

  /** A closed store in {@code tmp/name} that holds {@code records}. */
  private Path closedStore(String name, List<KeyRecord> records) {
    Path dir = tmp.resolve(name);
    RocksStorage s = open(dir, SyncPolicy.GROUP);
    records.forEach(s::put);
    s.close();
    opened.remove(s);
    return dir;
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
