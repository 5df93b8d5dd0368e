package io.quorumkv.node.storage;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Records on the heap: everything is lost when the process dies (the emulator may hand one
 * instance to a node's next life to model a durable node). Key order makes scans (stabilization,
 * anti-entropy) deterministic, which the emulator's replays rely on.
 *
 * <p>Two structures: a hash map from key to record for the requests' reads and writes, and the
 * keys alone in a sorted set for scans. A sorted map alone was measured at about 2 us a write at
 * 100,000 keys (some 17 levels of nodes, each a cache miss or three, and bench keys that share a
 * long prefix), and a replica reads before it writes; the hash map costs about 40 bytes a key
 * more and makes both a few cache misses. Overwrites, the common write, touch only the hash map.
 */
public final class MemoryStorage implements Storage {

  /** Most writer addresses kept for sharing; past it the table starts over (writers are few). */
  static final int MAX_WRITERS = 4096;

  private final HashMap<String, KeyRecord> records = new HashMap<>();
  /** The keys of {@link #records}, in order. */
  private final TreeSet<String> order = new TreeSet<>();
  /**
   * One instance per version writer: records arrive decoded each with its own {@link Address}
   * (and host string), although a handful of clients and nodes write them all; sharing saves
   * about 80 bytes a record (of some 470 a key).
   */
  private final HashMap<Address, Address> writers = new HashMap<>();
  private long highest;
  private long storedBytes;

  @Override
  public KeyRecord get(String key) {
    KeyRecord r = records.get(key);
    return r != null ? r : KeyRecord.absent(key);
  }

  @Override
  public void put(KeyRecord given) {
    KeyRecord record = withSharedWriter(given);
    KeyRecord old = records.put(record.key(), record);
    if (old == null) {
      order.add(record.key());
    }
    storedBytes += RecordCodec.storedBytes(record)
        - (old == null ? 0 : RecordCodec.storedBytes(old));
    if (Long.compareUnsigned(record.version().timestamp(), highest) > 0) {
      highest = record.version().timestamp();
    }
  }

  /** {@code r}, its version's writer replaced by the one instance of that address kept here. */
  private KeyRecord withSharedWriter(KeyRecord r) {
    Address writer = r.version().writer();
    Address shared = writers.get(writer);
    if (shared == null) {
      if (writers.size() >= MAX_WRITERS) {
        writers.clear();
      }
      writers.put(writer, writer);
      return r;
    }
    return shared == writer ? r : new KeyRecord(r.key(), r.value(), r.tombstone(),
        new Version(r.version().timestamp(), shared));
  }

  @Override
  public void remove(String key) {
    KeyRecord old = records.remove(key);
    if (old != null) {
      order.remove(key);
      storedBytes -= RecordCodec.storedBytes(old);
    }
  }

  @Override
  public int size() {
    return records.size();
  }

  @Override
  public List<KeyRecord> scan(String afterKey, int limit) {
    NavigableSet<String> tail = afterKey == null ? order : order.tailSet(afterKey, false);
    // Not tail.size(): a subset counts its entries one by one, which made every page cost the
    // whole rest of the set, and a walk of n keys by pages cost n * n / limit.
    List<KeyRecord> out = new ArrayList<>(Math.min(limit, records.size()));
    for (String key : tail) {
      if (out.size() >= limit) {
        break;
      }
      out.add(records.get(key));
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
