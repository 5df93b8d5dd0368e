package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A bounded memory of requests already handled, keyed by the client's address and request id,
 * with the answer given. Repeats (retransmissions, client retries, retries through another
 * coordinator) get the same answer, and nothing is applied or logged twice. The oldest entries
 * are forgotten first once either bound is reached: a number of entries, and a total weight in
 * bytes (answers to reads carry values), so that the memory stays bounded whatever the values.
 * The bounds must cover at least one request timeout of traffic for the guarantee to hold.
 */
final class RecentRequests<V> {

  /** Total weight kept per memory: 16 MiB, about 4,000 answers with the largest values. */
  static final long MAX_WEIGHT_BYTES = 16L << 20;

  /** Weight of an entry besides its answer's payload: key, map entry, small objects. */
  static final int ENTRY_BYTES = 96;

  /** Equality written out, as {@link Address}'s is: the record's own goes through handles. */
  record Key(Address client, long requestId) {
    @Override
    public boolean equals(Object o) {
      return this == o
          || (o instanceof Key k && requestId == k.requestId && client.equals(k.client));
    }

    @Override
    public int hashCode() {
      return 31 * client.hashCode() + Long.hashCode(requestId);
    }
  }

  private record Entry<V>(V answer, int weight) {
  }

  private final int capacity;
  private final ToIntFunction<V> payloadBytes;
  private final LinkedHashMap<Key, Entry<V>> answers = new LinkedHashMap<>();
  private long weight;

  /**
   * @param capacity most entries kept
   * @param payloadBytes the size in bytes an answer holds beyond {@link #ENTRY_BYTES}
   */
  RecentRequests(int capacity, ToIntFunction<V> payloadBytes) {
    this.capacity = capacity;
    this.payloadBytes = payloadBytes;
  }

  /** The answer given to this request before, or null. */
  V get(Address client, long requestId) {
    Entry<V> e = answers.get(new Key(client, requestId));
    return e == null ? null : e.answer();
  }

  void remember(Address client, long requestId, V answer) {
    Entry<V> e = new Entry<>(answer, ENTRY_BYTES + payloadBytes.applyAsInt(answer));
    Entry<V> old = answers.put(new Key(client, requestId), e);
    weight += e.weight() - (old == null ? 0 : old.weight());
    Iterator<Entry<V>> eldest = answers.values().iterator();
    while (answers.size() > 1 && (answers.size() > capacity || weight > MAX_WEIGHT_BYTES)) {
      weight -= eldest.next().weight();
      eldest.remove();
    }
  }

  int size() {
    return answers.size();
  }
}
