package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * A bounded memory of requests already handled, keyed by the client's address and request id,
 * with the answer given. Repeats (retransmissions, client retries, retries through another
 * coordinator) get the same answer, and nothing is applied or logged twice. The oldest entries
 * are forgotten first once either bound is reached: a number of entries, and a total weight in
 * bytes (answers to reads carry values), so that the memory stays bounded whatever the values.
 * The bounds must cover at least one request timeout of traffic for the guarantee to hold.
 *
 * <p>Kept in arrays rather than a linked hash map: a ring of entries in the order they came
 * (client, request id, answer, weight in parallel arrays) and an open-addressing index of ring
 * positions (linear probing, deletion by shifting back). A node under bench load remembers some
 * 16,000 requests a second over its memories, each held for seconds; as map entries that was
 * four objects a request (entry, key, value, weight holder) that every young collection copied
 * and every old one marked. Here a request costs no object but its answer. The arrays start
 * small and double up to the capacity, so that the emulator's many short-lived nodes stay
 * cheap. Used by one thread.
 */
final class RecentRequests<V> {

  /** Total weight kept per memory: 16 MiB, about 4,000 answers with the largest values. */
  static final long MAX_WEIGHT_BYTES = 16L << 20;

  /** Weight of an entry besides its answer's payload: its share of the arrays, its answer. */
  static final int ENTRY_BYTES = 96;

  private static final int INITIAL_SLOTS = 256;

  private final int capacity;
  private final ToIntFunction<V> payloadBytes;
  // The ring: entry i of the order is at (oldest + i) % clients.length.
  private Address[] clients = new Address[0];
  private long[] requestIds = new long[0];
  private Object[] answers = new Object[0];
  private int[] weights = new int[0];
  /** Each entry's hash, so that forgetting the oldest finds it without reading its client. */
  private int[] hashes = new int[0];
  private int oldest;
  private int count;
  /**
   * By hash, a ring position + 1 in the low 32 bits and the entry's hash in the high ones, 0 for
   * a free place; twice the ring's length, a power of two. The hash is kept here so that probing
   * and deletion compare and move entries without reading the ring (each read a cache miss in
   * memories of 65,536 entries: JFR showed deletion's rehashing at 4% of a loaded loop).
   */
  private long[] index = new long[0];
  private long weight;

  /**
   * @param capacity most entries kept
   * @param payloadBytes the size in bytes an answer holds beyond {@link #ENTRY_BYTES}
   */
  RecentRequests(int capacity, ToIntFunction<V> payloadBytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.payloadBytes = payloadBytes;
  }

  /** The answer given to this request before, or null. */
  @SuppressWarnings("unchecked")
  V get(Address client, long requestId) {
    int at = find(client, requestId);
    return at < 0 ? null : (V) answers[slotAt(at)];
  }

  /** Remembers {@code answer}; a request remembered already keeps its place and takes it. */
  void remember(Address client, long requestId, V answer) {
    int entryWeight = ENTRY_BYTES + payloadBytes.applyAsInt(answer);
    int at = find(client, requestId);
    if (at >= 0) {
      int slot = slotAt(at);
      weight += entryWeight - weights[slot];
      answers[slot] = answer;
      weights[slot] = entryWeight;
    } else {
      if (count == clients.length) {
        if (count < capacity) {
          grow();
        } else {
          forgetOldest();
        }
      }
      int slot = (oldest + count) % clients.length;
      clients[slot] = client;
      requestIds[slot] = requestId;
      answers[slot] = answer;
      weights[slot] = entryWeight;
      hashes[slot] = hash(client, requestId);
      count++;
      weight += entryWeight;
      insert(slot, hashes[slot]);
    }
    while (count > 1 && (count > capacity || weight > MAX_WEIGHT_BYTES)) {
      forgetOldest();
    }
  }

  int size() {
    return count;
  }

  /** Where in {@link #index} the entry is, or -1. */
  private int find(Address client, long requestId) {
    if (count == 0) {
      return -1;
    }
    int mask = index.length - 1;
    int hash = hash(client, requestId);
    for (int at = hash & mask; index[at] != 0; at = (at + 1) & mask) {
      if ((int) (index[at] >>> 32) == hash) {
        int slot = slotAt(at);
        if (requestIds[slot] == requestId && clients[slot].equals(client)) {
          return at;
        }
      }
    }
    return -1;
  }

  private int slotAt(int at) {
    return (int) index[at] - 1;
  }

  private void insert(int slot, int hash) {
    int mask = index.length - 1;
    int at = hash & mask;
    while (index[at] != 0) {
      at = (at + 1) & mask;
    }
    index[at] = ((long) hash << 32) | (slot + 1L);
  }

  private void forgetOldest() {
    int slot = oldest;
    int mask = index.length - 1;
    int at = hashes[slot] & mask;
    while (slotAt(at) != slot) {
      at = (at + 1) & mask;
    }
    removeFromIndex(at);
    weight -= weights[slot];
    clients[slot] = null;
    answers[slot] = null;
    oldest = (oldest + 1) % clients.length;
    count--;
  }

  /**
   * Frees place {@code at} and moves back the entries after it that probing could no longer
   * reach (linear probing's deletion, so no tombstones pile up).
   */
  private void removeFromIndex(int at) {
    int mask = index.length - 1;
    int hole = at;
    for (int next = (hole + 1) & mask; index[next] != 0; next = (next + 1) & mask) {
      int home = (int) (index[next] >>> 32) & mask;
      // The entry may fill the hole unless its home lies in the cyclic range (hole, next].
      boolean homeAfterHole = hole <= next ? home > hole && home <= next
          : home > hole || home <= next;
      if (!homeAfterHole) {
        index[hole] = index[next];
        hole = next;
      }
    }
    index[hole] = 0;
  }

  /** Doubles the ring (up to the capacity), laying it out oldest first, and rebuilds the index. */
  private void grow() {
    int length = (int) Math.min(capacity, Math.max(INITIAL_SLOTS, 2L * clients.length));
    Address[] c = new Address[length];
    long[] r = new long[length];
    Object[] a = new Object[length];
    int[] w = new int[length];
    int[] h = new int[length];
    for (int i = 0; i < count; i++) {
      int from = (oldest + i) % clients.length;
      c[i] = clients[from];
      r[i] = requestIds[from];
      a[i] = answers[from];
      w[i] = weights[from];
      h[i] = hashes[from];
    }
    clients = c;
    requestIds = r;
    answers = a;
    weights = w;
    hashes = h;
    oldest = 0;
    index = new long[Integer.highestOneBit(Math.max(2, length - 1)) << 2];
    for (int i = 0; i < count; i++) {
      insert(i, hashes[i]);
    }
  }

  /** The key's hash, its high bits folded into the low ones that pick a place. */
  private static int hash(Address client, long requestId) {
    int h = 31 * client.hashCode() + Long.hashCode(requestId);
    return h ^ (h >>> 16);
  }

  @Override
  public String toString() {
    return "RecentRequests[" + count + " of " + capacity + ", " + weight + " bytes, index "
        + Arrays.stream(index).filter(i -> i != 0).count() + "]";
  }
}
