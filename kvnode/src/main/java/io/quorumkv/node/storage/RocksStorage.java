package io.quorumkv.node.storage;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Records in RocksDB, one database per node directory ({@code kvnode --data-dir DIR}): what a
 * replica acknowledged survives SIGKILL of the process and, once synced, loss of power.
 *
 * <p>Why RocksDB: the field's standard embedded engine for this job (Cassandra's and TiKV's
 * storage lineage, CockroachDB's Pebble is its port): a write-ahead log with checksummed records
 * and explicit sync control ({@link SyncPolicy}), sorted keys (so stabilization's paged scans
 * work unchanged), compaction that reclaims deleted records, and a JNI binding on Maven Central.
 *
 * <p>Records are laid out by {@link RecordCodec}; the directory is checked and recovered by
 * {@link DataDirectory}. Keys are ordered by their UTF-8 bytes (Unicode code point order; the
 * heap engine's String order differs only for characters above U+FFFF), which is all
 * {@link #scan}'s paging needs. The key count and stored bytes are exact: counted at open and kept
 * up to date by reading a key before it is replaced or removed (a memtable or Bloom-filter hit).
 *
 * <p>Clock. {@link #highestTimestamp} is the largest version timestamp ever held here, so that a
 * restarted node's hybrid clock starts after it. A record's timestamp is lost when the record is
 * removed (handed off, or a purged tombstone), so a removal that would lower the maximum first
 * records it in the metadata, in the same atomic batch.
 *
 * <p>Runtime errors are {@link StorageFailure}s, fatal to the node (see there). Called only from
 * the node's loop thread, except {@link #close}, which the owner calls once the loop has ended.
 */
public final class RocksStorage implements Storage, AutoCloseable {

  /**
   * What the open found on disk: records (tombstones included), their stored bytes, and the
   * largest version timestamp held or removed.
   */
  public record Recovered(long keys, long storedBytes, long highestTimestamp) {
  }

  private final Path dir;
  private final SyncPolicy policy;
  private final RocksHandles rocks;
  private final WriteOptions writeOptions;
  private final Recovered recovered;
  private final boolean created;
  private long keys;
  private long storedBytes;
  private long highest;
  /** The clock high-water mark last written to the metadata. */
  private long persistedHighest;
  private boolean unsynced;
  private long writes;
  private long syncs;
  private boolean closed;

  private RocksStorage(Path dir, SyncPolicy policy, DataDirectory.Opened opened) {
    this.dir = dir;
    this.policy = policy;
    this.rocks = opened.handles();
    this.recovered = opened.recovered();
    this.created = opened.created();
    this.keys = recovered.keys();
    this.storedBytes = recovered.storedBytes();
    this.highest = recovered.highestTimestamp();
    this.persistedHighest = highest;
    this.writeOptions = new WriteOptions().setSync(policy == SyncPolicy.ALWAYS);
  }

  /**
   * Opens (or creates) the store in {@code dir} for {@code node}; throws with a one-line reason
   * when the directory is not usable (see {@link DataDirectory}).
   */
  public static RocksStorage open(Path dir, Address node, SyncPolicy policy)
      throws StorageException {
    return new RocksStorage(dir, policy, DataDirectory.open(dir, node));
  }

  /** What the open found on disk: records, their bytes and the largest timestamp. */
  public Recovered recovered() {
    return recovered;
  }

  /** True when the open created a new store (the directory was missing or empty). */
  public boolean created() {
    return created;
  }

  public SyncPolicy policy() {
    return policy;
  }

  @Override
  public KeyRecord get(String key) {
    byte[] value = read(RecordCodec.key(key));
    return value == null ? KeyRecord.absent(key) : decode(key, value);
  }

  @Override
  public void put(KeyRecord record) {
    byte[] key = RecordCodec.key(record.key());
    byte[] value = RecordCodec.value(record);
    byte[] old = read(key);
    try {
      rocks.db.put(rocks.records, writeOptions, key, value);
    } catch (RocksDBException e) {
      throw failure("write of key '" + record.key() + "'", e);
    }
    wrote();
    if (old == null) {
      keys++;
      storedBytes += key.length;
    } else {
      storedBytes -= old.length;
    }
    storedBytes += value.length;
    if (Long.compareUnsigned(record.version().timestamp(), highest) > 0) {
      highest = record.version().timestamp();
    }
  }

  @Override
  public void remove(String key) {
    byte[] k = RecordCodec.key(key);
    byte[] old = read(k);
    if (old == null) {
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(rocks.records, k);
      if (Long.compareUnsigned(highest, persistedHighest) > 0) {
        batch.put(rocks.meta, DataDirectory.CLOCK_KEY,
            ByteBuffer.allocate(Long.BYTES).putLong(highest).array());
      }
      rocks.db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw failure("removal of key '" + key + "'", e);
    }
    persistedHighest = highest;
    wrote();
    keys--;
    storedBytes -= k.length + old.length;
  }

  @Override
  public int size() {
    return (int) Math.min(Integer.MAX_VALUE, keys);
  }

  @Override
  public List<KeyRecord> scan(String afterKey, int limit) {
    List<KeyRecord> out = new ArrayList<>(Math.min(limit, 1024));
    try (RocksIterator it = rocks.db.newIterator(rocks.records)) {
      if (afterKey == null) {
        it.seekToFirst();
      } else {
        byte[] after = RecordCodec.key(afterKey);
        it.seek(after);
        if (it.isValid() && Arrays.equals(it.key(), after)) {
          it.next();
        }
      }
      for (; it.isValid() && out.size() < limit; it.next()) {
        String key = decodeKey(it.key());
        out.add(decode(key, it.value()));
      }
      it.status();
    } catch (RocksDBException e) {
      throw failure("scan", e);
    }
    return out;
  }

  @Override
  public long highestTimestamp() {
    return highest;
  }

  @Override
  public boolean hasUnsyncedWrites() {
    return unsynced;
  }

  /** Syncs the write-ahead log (group commit): every write so far is then on the disk. */
  @Override
  public void sync() {
    if (!unsynced) {
      return;
    }
    try {
      rocks.db.syncWal();
    } catch (RocksDBException e) {
      throw failure("sync of the write-ahead log", e);
    }
    unsynced = false;
    syncs++;
  }

  /**
   * {@code storage.keys}, {@code storage.stored-bytes} (keys and encoded records),
   * {@code storage.disk-bytes} (every file in the directory: tables, log, metadata),
   * {@code storage.writes} and {@code storage.syncs} (fsyncs of the log; equal to the writes with
   * {@code --sync always}).
   */
  @Override
  public Map<String, Long> figures() {
    Map<String, Long> figures = new TreeMap<>();
    figures.put("storage.keys", keys);
    figures.put("storage.stored-bytes", storedBytes);
    figures.put("storage.disk-bytes", diskBytes());
    figures.put("storage.writes", writes);
    figures.put("storage.syncs", syncs);
    return figures;
  }

  /** Syncs what is not yet synced and closes the database; later calls do nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      sync();
    } finally {
      writeOptions.close();
      rocks.close();
    }
  }

  private void wrote() {
    writes++;
    if (policy == SyncPolicy.ALWAYS) {
      syncs++;
    } else {
      unsynced = true;
    }
  }

  private byte[] read(byte[] key) {
    try {
      return rocks.db.get(rocks.records, key);
    } catch (RocksDBException e) {
      throw failure("read", e);
    }
  }

  private KeyRecord decode(String key, byte[] value) {
    try {
      return RecordCodec.decode(key, value);
    } catch (RecordCodec.CorruptRecordException e) {
      throw new StorageFailure("data directory " + dir + " is damaged: record of key '" + key
          + "': " + e.getMessage());
    }
  }

  private String decodeKey(byte[] key) {
    try {
      return RecordCodec.key(key);
    } catch (RecordCodec.CorruptRecordException e) {
      throw new StorageFailure("data directory " + dir + " is damaged: " + e.getMessage());
    }
  }

  private long diskBytes() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(f -> {
        try {
          return Files.isRegularFile(f) ? Files.size(f) : 0;
        } catch (IOException e) {
          return 0; // deleted by a compaction meanwhile
        }
      }).sum();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  private StorageFailure failure(String what, RocksDBException e) {
    return new StorageFailure("storage " + what + " failed in " + dir + ": "
        + String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim(), e);
  }
}
