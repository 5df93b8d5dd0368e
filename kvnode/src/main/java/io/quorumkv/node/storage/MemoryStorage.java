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
 * profile of a loaded loop.
 *
 * <p>A slot keeps a record's parts, not the record: an overwrite stores a value string, a
 * timestamp and the shared writer into it, and reads rebuild the record, which dies young. So a
 * write leaves two objects for the old generation (the value string and its bytes) instead of
 * six (the record, its version, the decoded key string and both strings' bytes). Records that
 * live seconds and then die in the old generation are most of a loaded node's collection work:
 * its collector threads spent 11 to 17 us per put against 1 to 2 per read (bench, 32 in flight).
 */
public final class MemoryStorage implements Storage {

  /** Most writer addresses kept for sharing; past it the table starts over (writers are few). */
  static final int MAX_WRITERS = 4096;
  /** Writer instances remembered by identity: a few clients, each seen through two instances. */
  static final int RECENT_WRITERS = 8;

  /**
   * The current record of one key, in parts: the one mutable cell both maps share. 32 bytes: a
   * tombstone is a null value (a tombstone's value is always empty), which leaves room for the
   * value's UTF-8 length, so an overwrite counts the bytes of the new value only.
   */
  private static final class Slot {
    long timestamp;
    /** The instance shared by every record of this writer ({@link #writers}). */
    Address writer;
    /** Null for a tombstone. */
    String value;
    int valueBytes;

    void set(KeyRecord r, Address sharedWriter) {
      timestamp = r.version().timestamp();
      writer = sharedWriter;
      value = r.tombstone() ? null : r.value();
      valueBytes = (int) RecordCodec.utf8Length(r.value());
    }

    KeyRecord record(String key) {
      return new KeyRecord(key, value == null ? "" : value, value == null,
          new Version(timestamp, writer));
    }

    long storedBytes(String key) {
      return RecordCodec.storedBytes(key, valueBytes, writer);
    }
  }

  private final HashMap<String, Slot> slots = new HashMap<>();
  /** The slots of {@link #slots}, in key order. */
  private final TreeMap<String, Slot> order = new TreeMap<>();
  /**
   * One instance per version writer: records arrive decoded each with its own {@link Address}
   * (and host string), although a handful of clients and nodes write them all; sharing saves
   * about 80 bytes a record (a key takes some 340 in all, measured by scale-bench.sh).
   */
  private final HashMap<Address, Address> writers = new HashMap<>();
  /**
   * The last writer instances given and the shared instance each stands for, checked by identity
   * before {@link #writers}: nearly every put repeats one of a few instances (the decoder's and
   * the receiver's for each client), and the map's lookup, hashing and comparing the host
   * strings, was about 8% of a loaded node's loop (JFR, put at 32 in flight).
   */
  private final Address[] recentGiven = new Address[RECENT_WRITERS];
  private final Address[] recentShared = new Address[RECENT_WRITERS];
  private int recentNext;
  private long highest;
  private long storedBytes;

  @Override
  public KeyRecord get(String key) {
    Slot slot = slots.get(key);
    return slot != null ? slot.record(key) : KeyRecord.absent(key);
  }

  @Override
  public void put(KeyRecord record) {
    String key = record.key();
    Slot slot = slots.get(key);
    if (slot == null) {
      slot = new Slot();
      slots.put(key, slot);
      order.put(key, slot);
      slot.set(record, sharedWriter(record.version().writer()));
      storedBytes += slot.storedBytes(key);
    } else {
      // An overwrite keeps the key, so the difference leaves its bytes out (counted once more
      // on each side, they were about a quarter of the UTF-8 counting a bench put did).
      long before = RecordCodec.storedBytes("", slot.valueBytes, slot.writer);
      slot.set(record, sharedWriter(record.version().writer()));
      storedBytes += RecordCodec.storedBytes("", slot.valueBytes, slot.writer) - before;
    }
    if (Long.compareUnsigned(record.version().timestamp(), highest) > 0) {
      highest = record.version().timestamp();
    }
  }

  /** The one instance of {@code writer}'s address kept here. */
  private Address sharedWriter(Address writer) {
    Address shared = null;
    for (int i = 0; i < RECENT_WRITERS && shared == null; i++) {
      if (recentGiven[i] == writer) {
        shared = recentShared[i];
      }
    }
    if (shared == null) {
      shared = sharedInstanceOf(writer);
      recentGiven[recentNext] = writer;
      recentShared[recentNext] = shared;
      recentNext = (recentNext + 1) % RECENT_WRITERS;
    }
    return shared;
  }

  /** The one instance kept for {@code writer}'s address, {@code writer} itself if it is new. */
  private Address sharedInstanceOf(Address writer) {
    Address shared = writers.get(writer);
    if (shared != null) {
      return shared;
    }
    if (writers.size() >= MAX_WRITERS) {
      writers.clear();
    }
    writers.put(writer, writer);
    return writer;
  }

  @Override
  public void remove(String key) {
    Slot old = slots.remove(key);
    if (old != null) {
      order.remove(key);
      storedBytes -= old.storedBytes(key);
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
    for (Map.Entry<String, Slot> e : tail.entrySet()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(e.getValue().record(e.getKey()));
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
