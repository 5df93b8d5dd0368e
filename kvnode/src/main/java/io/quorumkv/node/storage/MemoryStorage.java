package io.quorumkv.node.storage;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Records on the heap: everything is lost when the process dies (the emulator may hand one
 * instance to a node's next life to model a durable node). Key order makes scans (stabilization,
 * anti-entropy) deterministic, which the emulator's replays rely on.
 *
 * <p>Two structures over one {@link Slot} per key: a hash map for the requests' reads and writes,
 * and a sorted map for scans. A sorted map alone was measured at about 2 us a write at 100,000
 * keys (some 17 levels of nodes, each a cache miss or three, and bench keys that share a long
 * prefix), and a replica reads before it writes; the hash map costs about 40 bytes a key more and
 * makes both a few cache misses. The slot is what both maps point at: an overwrite, the common
 * write, is one hash lookup and a store into the slot, and a scan reads each record from the
 * sorted map's entry. The sorted side used to hold the keys alone, and a scan looked every key
 * up in the hash map, a cache miss or three a key: scans were half of anti-entropy's time in a
 * profile of a loaded loop. The slot costs 16 bytes a key more (a header and a reference).
 */
public final class MemoryStorage implements Storage {

  /** Most writer addresses kept for sharing; past it the table starts over (writers are few). */
  static final int MAX_WRITERS = 4096;

  /** The current record of one key: the one mutable cell both maps share. */
  private static final class Slot {
    KeyRecord record;

    Slot(KeyRecord record) {
      this.record = record;
    }
  }

  private final HashMap<String, Slot> slots = new HashMap<>();
  /** The slots of {@link #slots}, in key order. */
  private final TreeMap<String, Slot> order = new TreeMap<>();
  /**
   * One instance per version writer: records arrive decoded each with its own {@link Address}
   * (and host string), although a handful of clients and nodes write them all; sharing saves
   * about 80 bytes a record (of some 490 a key, its slot included).
   */
  private final HashMap<Address, Address> writers = new HashMap<>();
  private long highest;
  private long storedBytes;

  @Override
  public KeyRecord get(String key) {
    Slot slot = slots.get(key);
    return slot != null ? slot.record : KeyRecord.absent(key);
  }

  @Override
  public void put(KeyRecord given) {
    KeyRecord record = withSharedWriter(given);
    Slot slot = slots.get(record.key());
    if (slot == null) {
      slot = new Slot(record);
      slots.put(record.key(), slot);
      order.put(record.key(), slot);
      storedBytes += RecordCodec.storedBytes(record);
    } else {
      storedBytes += RecordCodec.storedBytes(record) - RecordCodec.storedBytes(slot.record);
      slot.record = record;
    }
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
    Slot old = slots.remove(key);
    if (old != null) {
      order.remove(key);
      storedBytes -= RecordCodec.storedBytes(old.record);
    }
  }

  @Override
  public int size() {
    return slots.size();
  }

  @Override
  public List<KeyRecord> scan(String afterKey, int limit) {
    NavigableMap<String, Slot> tail = afterKey == null ? order : order.tailMap(afterKey, false);
    // Not tail.size(): a submap counts its entries one by one, which made every page cost the
    // whole rest of the map, and a walk of n keys by pages cost n * n / limit.
    List<KeyRecord> out = new ArrayList<>(Math.min(limit, slots.size()));
    for (Slot slot : tail.values()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(slot.record);
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
    return new TreeMap<>(Map.of("storage.keys", (long) slots.size(),
        "storage.stored-bytes", storedBytes));
  }
}
