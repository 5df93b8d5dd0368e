package io.quorumkv.node.storage;

import io.quorumkv.common.wire.KeyRecord;
import java.util.List;
import java.util.Map;

/**
 * Where a replica keeps its records: live values and tombstones, each with the version that wrote
 * it. The storage stores what it is given; last-writer-wins decisions are made by its callers
 * ({@link LastWriterWins}). Called only from the node's loop thread.
 *
 * <p>Two worlds: {@link MemoryStorage} for tests, the emulator and a cache-like cluster;
 * {@link RocksStorage} on disk. A durable engine may defer syncing its log
 * ({@link SyncPolicy#GROUP}); then it says so in {@link #hasUnsyncedWrites}, and the driver
 * sends nothing until it has called {@link #sync}, so no answer leaves before the writes it
 * answers for are on the disk.
 */
public interface Storage {

  /** The record of {@code key}, or {@link KeyRecord#absent} when there is none. */
  KeyRecord get(String key);

  /** Stores {@code record}, replacing whatever {@code record.key()} held. */
  void put(KeyRecord record);

  /** Forgets {@code key} entirely (handed off, or a purged tombstone). */
  void remove(String key);

  /** Records stored, tombstones included. */
  int size();

  /**
   * Up to {@code limit} records in key order, starting after {@code afterKey} (null: from the
   * first). Long scans go in pages so no single call walks millions of keys.
   */
  List<KeyRecord> scan(String afterKey, int limit);

  /**
   * The largest version timestamp (compared unsigned) this storage holds or has held, 0 when
   * none: a restarted node starts its hybrid clock after it, so it never issues a version it
   * already stored.
   */
  long highestTimestamp();

  /**
   * Gauges for the node's stats reply, by dotted name: at least {@code storage.keys} (records,
   * tombstones included) and {@code storage.stored-bytes} (keys and records as the engine stores
   * them, or would).
   */
  Map<String, Long> figures();

  /** True when writes were made that {@link #sync} has not yet made durable. */
  default boolean hasUnsyncedWrites() {
    return false;
  }

  /** Makes every write so far durable; nothing to do for an engine that syncs every write. */
  default void sync() {
  }
}
