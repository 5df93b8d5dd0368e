package io.quorumkv.node.storage;

import io.quorumkv.common.wire.KeyRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Records in a sorted map on the heap: everything is lost when the process dies. Key order makes
 * scans (stabilization) deterministic, which the emulator's replays rely on.
 */
public final class MemoryStorage implements Storage {

  private final TreeMap<String, KeyRecord> records = new TreeMap<>();

  @Override
  public KeyRecord get(String key) {
    KeyRecord r = records.get(key);
    return r != null ? r : KeyRecord.absent(key);
  }

  @Override
  public void put(KeyRecord record) {
    records.put(record.key(), record);
  }

  @Override
  public void remove(String key) {
    records.remove(key);
  }

  @Override
  public int size() {
    return records.size();
  }

  @Override
  public List<KeyRecord> scan(String afterKey, int limit) {
    NavigableMap<String, KeyRecord> tail = afterKey == null ? records
        : records.tailMap(afterKey, false);
    List<KeyRecord> out = new ArrayList<>(Math.min(limit, tail.size()));
    for (Map.Entry<String, KeyRecord> e : tail.entrySet()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(e.getValue());
    }
    return out;
  }
}
