package io.quorumkv.node.storage;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * Opens a node's data directory and proves it is the one it claims to be before anything is
 * served from it. Theory of operation:
 *
 * <ol>
 *   <li>A missing directory is created; an empty one is initialized: a new RocksDB whose
 *       {@code quorumkv-meta} column family records the store's format and the owning node's
 *       address, synced before the node starts.</li>
 *   <li>A directory with files but no RocksDB, or a RocksDB without QuorumKV's metadata, is
 *       refused untouched: it is somebody else's.</li>
 *   <li>An existing store must have this code's format and this node's address. Another node's
 *       directory is refused: serving it would present that node's keys as ours.</li>
 *   <li>Every record is read and decoded once ({@link RocksStorage.Recovered}): it counts the
 *       keys, finds the largest version timestamp, and makes RocksDB verify every block's
 *       checksum, so a damaged directory fails now, with a clear message, rather than when a
 *       client asks.</li>
 * </ol>
 * A store whose metadata is missing while it holds no record is one whose first start died
 * before it wrote its metadata; it is initialized like an empty directory.
 */
final class DataDirectory {

  /** The store layout: the metadata keys and {@link RecordCodec#FORMAT}. */
  static final int FORMAT = RecordCodec.FORMAT;

  static final byte[] FORMAT_KEY = ascii("format");
  static final byte[] NODE_KEY = ascii("node");
  /** The highest version timestamp ever held, as of the last removal (8 bytes). */
  static final byte[] CLOCK_KEY = ascii("clock");

  /** An opened, verified store. */
  record Opened(RocksHandles handles, RocksStorage.Recovered recovered, boolean created) {
  }

  private DataDirectory() {
  }

  static Opened open(Path dir, Address node) throws StorageException {
    try {
      RocksNative.load();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      throw new StorageException("cannot load RocksDB's native library on this platform ("
          + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): " + e, e);
    }
    String where = dir.toString();
    boolean fresh = prepare(dir);
    if (!fresh) {
      checkIsQuorumKv(dir);
    }
    RocksHandles handles;
    try {
      handles = RocksHandles.open(where, fresh);
    } catch (RocksDBException e) {
      throw new StorageException(explain(e), e);
    }
    try {
      byte[] format = handles.db.get(handles.meta, FORMAT_KEY);
      boolean created = false;
      if (format == null) {
        if (!fresh && !isEmpty(handles)) {
          throw new StorageException("holds records but no format record: the metadata is lost"
              + " or damaged; restore it from a backup or start the node on a new directory");
        }
        initialize(handles, node);
        created = true;
      } else {
        checkFormat(format);
        checkOwner(handles.db.get(handles.meta, NODE_KEY), node);
      }
      return new Opened(handles, recover(handles), created);
    } catch (RocksDBException e) {
      handles.close();
      throw new StorageException(explain(e), e);
    } catch (StorageException | RuntimeException e) {
      handles.close();
      throw e;
    }
  }

  /** True when {@code dir} is (now) an empty directory; creates a missing one. */
  private static boolean prepare(Path dir) throws StorageException {
    try {
      if (!Files.exists(dir)) {
        Files.createDirectories(dir);
        return true;
      }
      if (!Files.isDirectory(dir)) {
        throw new StorageException("is not a directory");
      }
      try (Stream<Path> entries = Files.list(dir)) {
        return entries.findAny().isEmpty();
      }
    } catch (AccessDeniedException e) {
      throw new StorageException("permission denied: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StorageException("cannot use it: " + e, e);
    }
  }

  private static void checkIsQuorumKv(Path dir) throws StorageException {
    if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
      throw new StorageException("is not empty and holds no QuorumKV store (no RocksDB CURRENT"
          + " file); refusing to touch it: give each node a new or empty directory");
    }
    List<byte[]> families;
    try (Options options = new Options()) {
      families = RocksDB.listColumnFamilies(options, dir.toString());
    } catch (RocksDBException e) {
      throw new StorageException(explain(e), e);
    }
    if (families.isEmpty()) {
      throw new StorageException("is damaged: RocksDB finds no column families in it (its"
          + " CURRENT or MANIFEST file is unreadable)");
    }
    if (families.stream().noneMatch(f -> Arrays.equals(f, RocksHandles.META))) {
      throw new StorageException("is a RocksDB database but not a QuorumKV store (no"
          + " quorumkv-meta column family); refusing to touch it");
    }
  }

  private static void initialize(RocksHandles handles, Address node) throws RocksDBException {
    try (WriteOptions synced = new WriteOptions().setSync(true)) {
      handles.db.put(handles.meta, synced, NODE_KEY, ascii(node.toString()));
      // The format last: its presence says the metadata is complete.
      handles.db.put(handles.meta, synced, FORMAT_KEY, ascii(Integer.toString(FORMAT)));
    }
  }

  private static void checkFormat(byte[] stored) throws StorageException {
    String text = new String(stored, StandardCharsets.US_ASCII);
    if (!text.equals(Integer.toString(FORMAT))) {
      throw new StorageException("has store format '" + text + "', this kvnode reads format "
          + FORMAT + " only: use the kvnode version that wrote it, or a new directory");
    }
  }

  private static void checkOwner(byte[] stored, Address node) throws StorageException {
    String owner = stored == null ? "(none)" : new String(stored, StandardCharsets.US_ASCII);
    if (!owner.equals(node.toString())) {
      throw new StorageException("belongs to node " + owner + ", not to " + node
          + ": each node needs its own data directory (start " + owner
          + " with it, or give this node a new directory)");
    }
  }

  private static boolean isEmpty(RocksHandles handles) {
    try (RocksIterator it = handles.db.newIterator(handles.records)) {
      it.seekToFirst();
      return !it.isValid();
    }
  }

  /** Reads and decodes every record: counts, sizes, the clock's starting point, and checksums. */
  private static RocksStorage.Recovered recover(RocksHandles handles) throws RocksDBException,
      StorageException {
    long keys = 0;
    long bytes = 0;
    long highest = 0;
    byte[] clock = handles.db.get(handles.meta, CLOCK_KEY);
    if (clock != null) {
      if (clock.length != Long.BYTES) {
        throw new StorageException("is damaged: the clock record has " + clock.length
            + " bytes, not " + Long.BYTES);
      }
      highest = ByteBuffer.wrap(clock).getLong();
    }
    try (RocksIterator it = handles.db.newIterator(handles.records)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        byte[] value = it.value();
        KeyRecord r;
        try {
          r = RecordCodec.decode(RecordCodec.key(key), value);
        } catch (RecordCodec.CorruptRecordException e) {
          throw new StorageException("is damaged: record " + keys + " in key order ("
              + printable(key) + "): " + e.getMessage());
        }
        keys++;
        bytes += key.length + value.length;
        if (Long.compareUnsigned(r.version().timestamp(), highest) > 0) {
          highest = r.version().timestamp();
        }
      }
      it.status();
    }
    return new RocksStorage.Recovered(keys, bytes, highest);
  }

  /** One line from a RocksDB error, with a hint for the usual causes. */
  static String explain(RocksDBException e) {
    String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    if (e.getStatus() != null && e.getStatus().getCode() == org.rocksdb.Status.Code.Corruption) {
      return "is damaged: " + message;
    }
    if (lower.contains("permission denied")) {
      return "permission denied: " + message;
    }
    if (message.contains("/LOCK:") || lower.contains("lock file")) {
      return "is in use by another process (" + message + ")";
    }
    return "cannot be opened: " + message;
  }

  private static String printable(byte[] key) {
    String text = new String(key, 0, Math.min(key.length, 40), StandardCharsets.UTF_8);
    return "'" + text.replaceAll("[^\\x20-\\x7e]", "?") + (key.length > 40 ? "...'" : "'");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
