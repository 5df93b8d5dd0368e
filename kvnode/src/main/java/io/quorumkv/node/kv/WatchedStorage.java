package io.quorumkv.node.kv;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.node.storage.ForwardingStorage;
import io.quorumkv.node.storage.Storage;
import java.util.function.Predicate;

/**
 * The store as the key-value roles use it: every write is also reported to {@link SweepNeed},
 * so that the orphan sweep knows without walking whether a walk could find anything. Here, and
 * not at each role's writes, so that no path that stores a record (replica writes and commits,
 * repairs, anti-entropy pushes, stabilization) can be missed. Costs one ring lookup per write.
 */
final class WatchedStorage extends ForwardingStorage {

  private final SweepNeed need;
  private final Predicate<String> owned;

  /** @param owned whether this node is a replica of a key, by its current ring */
  WatchedStorage(Storage inner, SweepNeed need, Predicate<String> owned) {
    super(inner);
    this.need = need;
    this.owned = owned;
  }

  @Override
  public void put(KeyRecord record) {
    super.put(record);
    if (record.tombstone()) {
      need.tombstone(HybridClock.physicalMillis(record.version().timestamp()));
    }
    if (!owned.test(record.key())) {
      need.doubt();
    }
  }
}
