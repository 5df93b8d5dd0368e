package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded memory of requests already handled, keyed by the client's address and request id,
 * with the answer given. Repeats (retransmissions, client retries, retries through another
 * coordinator) get the same answer, and nothing is applied or logged twice. The oldest entries
 * are forgotten first once the capacity is reached; the capacity must cover at least one request
 * timeout of traffic for the guarantee to hold.
 */
final class RecentRequests<V> {

  record Key(Address client, long requestId) {
  }

  private final LinkedHashMap<Key, V> answers;

  RecentRequests(int capacity) {
    this.answers = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The answer given to this request before, or null. */
  V get(Address client, long requestId) {
    return answers.get(new Key(client, requestId));
  }

  void remember(Address client, long requestId, V answer) {
    answers.put(new Key(client, requestId), answer);
  }

  int size() {
    return answers.size();
  }
}
