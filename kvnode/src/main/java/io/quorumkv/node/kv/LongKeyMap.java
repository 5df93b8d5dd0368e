package io.quorumkv.node.kv;

/**
 * A hash map from non-zero {@code long} keys to values, for the coordinator's request ids: a
 * {@code Map<Long, V>} boxes every id it is asked about, several times per reply under load.
 * Open addressing with linear probing; removal shifts the entries after it back (Knuth's
 * algorithm R), so lookups never cross tombstones. Key 0 marks a free slot: ids start at 1, and
 * 0 (a request's commit id before its commit began) is never present.
 *
 * <p>Not iterable, on purpose: nothing may depend on the order of a hash table, so that seeded
 * runs replay. It grows to its busiest size and stays there; its owners bound the entries.
 */
final class LongKeyMap<V> {

  private long[] keys = new long[16];
  private Object[] values = new Object[16];
  /** 64 minus log2 of the table's length: {@link #home} keeps that many top bits of the hash. */
  private int shift = 64 - 4;
  private int size;

  int size() {
    return size;
  }

  /** The value under {@code key}, or null. */
  V get(long key) {
    int i = find(key);
    return i < 0 ? null : value(i);
  }

  boolean containsKey(long key) {
    return find(key) >= 0;
  }

  /** Puts {@code value} under {@code key} (not 0) and returns the value it replaced, or null. */
  V put(long key, V value) {
    if (key == 0) {
      throw new IllegalArgumentException("key 0 marks a free slot");
    }
    int i = find(key);
    if (i >= 0) {
      V old = value(i);
      values[i] = value;
      return old;
    }
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    insert(key, value);
    size++;
    return null;
  }

  /** Removes the entry under {@code key} and returns its value, or null if there was none. */
  V remove(long key) {
    int i = find(key);
    if (i < 0) {
      return null;
    }
    V old = value(i);
    int mask = keys.length - 1;
    // Move back each following entry of the run that would become unreachable from its home
    // slot once slot i is free, until the run ends.
    for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      int home = home(keys[j]);
      boolean reachable = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!reachable) {
        keys[i] = keys[j];
        values[i] = values[j];
        i = j;
      }
    }
    keys[i] = 0;
    values[i] = null;
    size--;
    return old;
  }

  private int find(long key) {
    if (key == 0) {
      return -1;
    }
    int mask = keys.length - 1;
    for (int i = home(key); keys[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return i;
      }
    }
    return -1;
  }

  private void insert(long key, V value) {
    int mask = keys.length - 1;
    int i = home(key);
    while (keys[i] != 0) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** Fibonacci hashing: request ids are consecutive, and this spreads them over the table. */
  private int home(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    shift--;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        @SuppressWarnings("unchecked")
        V v = (V) oldValues[i];
        insert(oldKeys[i], v);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private V value(int i) {
    return (V) values[i];
  }
}
