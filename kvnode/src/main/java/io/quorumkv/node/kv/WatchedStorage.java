package io.quorumkv.node.kv;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.node.storage.ForwardingStorage;
import io.quorumkv.node.storage.Storage;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * The store as the key-value roles use it: every write is also reported to {@link SweepNeed},
 * so that the orphan sweep knows without walking whether a walk could find anything. Here, and
 * not at each role's writes, so that no path that stores a record (replica writes and commits,
 * repairs, anti-entropy pushes, stabilization) can be missed. Costs one ring lookup per write.
 * A stored tombstone is reported to {@link Reconciliation} as well: one that arrives after an
 * anti-entropy session's walk passed its key was not compared by that session.
 */
final class WatchedStorage extends ForwardingStorage {

  private final SweepNeed need;
  private final Predicate<String> owned;
  private final LongConsumer tombstoneStored;

  /**
   * @param owned whether this node is a replica of a key, by its current ring
   * @param tombstoneStored told the physical stamp of every tombstone stored
   */
  WatchedStorage(Storage inner, SweepNeed need, Predicate<String> owned,
      LongConsumer tombstoneStored) {
    super(inner);
    this.need = need;
    this.owned = owned;
    this.tombstoneStored = tombstoneStored;
  }

  @Override
  public void put(KeyRecord record) {
    super.put(record);
    if (record.tombstone()) {
      long stamp = HybridClock.physicalMillis(record.version().timestamp());
      need.tombstone(stamp);
      tombstoneStored.accept(stamp);
    }
    if (!owned.test(record.key())) {
      need.doubt();
    }
  }
}
