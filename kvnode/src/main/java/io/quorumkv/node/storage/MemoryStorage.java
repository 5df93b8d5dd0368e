package io.quorumkv.node.storage;

import io.quorumkv.common.wire.KeyRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Records in a sorted map on the heap: everything is lost when the process dies (the emulator may
 * hand one instance to a node's next life to model a durable node). Key order makes scans
 * (stabilization) deterministic, which the emulator's replays rely on.
 */
public final class MemoryStorage implements Storage {

  private final TreeMap<String, KeyRecord> records = new TreeMap<>();
  private long highest;
  private long storedBytes;

  @Override
  public KeyRecord get(String key) {
    KeyRecord r = records.get(key);
    return r != null ? r : KeyRecord.absent(key);
  }

  @Override
  public void put(KeyRecord record) {
    KeyRecord old = records.put(record.key(), record);
    storedBytes += RecordCodec.storedBytes(record)
        - (old == null ? 0 : RecordCodec.storedBytes(old));
    if (Long.compareUnsigned(record.version().timestamp(), highest) > 0) {
      highest = record.version().timestamp();
    }
  }

  @Override
  public void remove(String key) {
    KeyRecord old = records.remove(key);
    if (old != null) {
      storedBytes -= RecordCodec.storedBytes(old);
    }
  }

  @Override
  public int size() {
    return records.size();
  }

  @Override
  public List<KeyRecord> scan(String afterKey, int limit) {
    NavigableMap<String, KeyRecord> tail = afterKey == null ? records
        : records.tailMap(afterKey, false);
    // Not tail.size(): a TreeMap view counts its entries one by one, which made every page of a
    // scan cost the whole tail (anti-entropy and stabilization walks went quadratic).
    List<KeyRecord> out = new ArrayList<>(Math.min(limit, 1024));
    for (Map.Entry<String, KeyRecord> e : tail.entrySet()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(e.getValue());
    }
    return out;
  }

  @Override
  public long highestTimestamp() {
    return highest;
  }

  /** {@code storage.keys}, and {@code storage.stored-bytes}: what the records would take on disk.*/
  @Override
  public Map<String, Long> figures() {
    return new TreeMap<>(Map.of("storage.keys", (long) records.size(),
        "storage.stored-bytes", storedBytes));
  }
}
