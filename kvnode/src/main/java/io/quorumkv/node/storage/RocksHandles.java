package io.quorumkv.node.storage;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.AbstractNativeReference;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WALRecoveryMode;

/**
 * One open RocksDB with QuorumKV's two column families, {@code default} (the records) and
 * {@code quorumkv-meta} (format, owner, clock high-water mark), and every native object that
 * must outlive it; {@link #close} frees them in the right order.
 *
 * <p>Options, and why:
 * <ul>
 *   <li>WAL recovery {@code TolerateCorruptedTailRecords}: a torn record at the very end of the
 *       log (power lost mid-write, a write that was never acknowledged) is dropped, but damage
 *       anywhere else fails the open. RocksDB's default, point-in-time recovery, would silently
 *       stop replaying at the first damaged record and lose every later, acknowledged write.</li>
 *   <li>Paranoid checks on (the default): a damaged MANIFEST or SST footer fails the open.</li>
 *   <li>Small memory: 8 MB memtables (two at most) and an 8 MB block cache with Bloom filters
 *       (point reads of absent keys, which every first write of a key does, skip the disk).
 *       Nodes of a local cluster share one machine; the defaults would take 64 MB each.</li>
 *   <li>Two background jobs and an info log kept to warnings, 2 files of 1 MB.</li>
 * </ul>
 */
final class RocksHandles implements AutoCloseable {

  static final byte[] META = "quorumkv-meta".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  final RocksDB db;
  final ColumnFamilyHandle records;
  final ColumnFamilyHandle meta;
  private final List<AbstractNativeReference> owned;

  private RocksHandles(RocksDB db, ColumnFamilyHandle records, ColumnFamilyHandle meta,
      List<AbstractNativeReference> owned) {
    this.db = db;
    this.records = records;
    this.meta = meta;
    this.owned = owned;
  }

  /** Opens {@code dir}; {@code create}: make the database and its column families if missing. */
  static RocksHandles open(String dir, boolean create) throws RocksDBException {
    List<AbstractNativeReference> owned = new ArrayList<>();
    try {
      LRUCache cache = own(owned, new LRUCache(8L << 20));
      BloomFilter bloom = own(owned, new BloomFilter(10));
      ColumnFamilyOptions cf = own(owned, new ColumnFamilyOptions()
          .setWriteBufferSize(8L << 20)
          .setMaxWriteBufferNumber(2)
          .setTableFormatConfig(new BlockBasedTableConfig()
              .setBlockCache(cache)
              .setFilterPolicy(bloom)));
      DBOptions options = own(owned, new DBOptions()
          .setCreateIfMissing(create)
          .setCreateMissingColumnFamilies(create)
          .setErrorIfExists(false)
          .setParanoidChecks(true)
          .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
          .setMaxBackgroundJobs(2)
          .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
          .setMaxLogFileSize(1L << 20)
          .setKeepLogFileNum(2));
      List<ColumnFamilyDescriptor> families = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf),
          new ColumnFamilyDescriptor(META, cf));
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(options, dir, families, handles);
      // Handles close before the database, the options after it.
      List<AbstractNativeReference> order = new ArrayList<>(handles);
      order.add(db);
      order.addAll(owned);
      return new RocksHandles(db, handles.get(0), handles.get(1), order);
    } catch (RocksDBException | RuntimeException e) {
      closeAll(owned);
      throw e;
    }
  }

  @Override
  public void close() {
    closeAll(owned);
  }

  private static <T extends AbstractNativeReference> T own(List<AbstractNativeReference> owned,
      T object) {
    owned.add(object);
    return object;
  }

  private static void closeAll(List<AbstractNativeReference> objects) {
    for (AbstractNativeReference o : objects) {
      o.close();
    }
  }
}
