package io.quorumkv.node.storage;

import io.quorumkv.common.wire.KeyRecord;
import java.util.List;

/**
 * Where a replica keeps its records: live values and tombstones, each with the version that wrote
 * it. The storage stores what it is given; last-writer-wins decisions are made by its callers
 * ({@link LastWriterWins}). Called only from the node's loop thread.
 *
 * <p>Two worlds: {@link MemoryStorage} for tests, the emulator and a cache-like cluster; a durable
 * engine follows.
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
}
