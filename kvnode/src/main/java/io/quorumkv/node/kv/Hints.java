package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Writes a coordinator acknowledged although some of their replicas never acknowledged them by
 * the deadline (hinted handoff, after Dynamo): each record is kept for a while with the replicas
 * that did store it, and whenever this node's ring changes it is sent to the key's owners that do
 * not have it yet.
 *
 * <p>Why: a coordinator that has not yet heard that a replica died still sends writes to it. The
 * write is acknowledged by the two live replicas, but the nodes that already knew of the death ran
 * their stabilization round before the write existed, so no one gives it to the key's new third
 * owner. Two copies are one failure away from one; after two more failures the acknowledged write
 * would be gone. When the coordinator's ring catches up, the hint hands the record over.
 *
 * <p>Bounded by entries and by bytes (records carry values); the oldest hints go first. Only the
 * newest record per key is kept: it supersedes older ones under last writer wins.
 */
final class Hints {

  /** Most hints kept; past it the oldest are forgotten. */
  static final int MAX_HINTS = 16_384;
  /** Most bytes of keys and values kept in hints. */
  static final long MAX_BYTES = 16L << 20;

  private record Hint(KeyRecord record, Set<Address> holders, long expiresAtMillis) {
    long bytes() {
      return 2L * (record.key().length() + record.value().length()) + 96;
    }
  }

  /** One record to send to one node. */
  record Delivery(Address to, KeyRecord record) {
  }

  private final long retentionMillis;
  private final LinkedHashMap<String, Hint> hints = new LinkedHashMap<>();
  private long bytes;

  /** @param retentionMillis how long a hint is kept */
  Hints(long retentionMillis) {
    this.retentionMillis = retentionMillis;
  }

  /** Keeps {@code record}, which {@code holders} stored, unless a newer one of its key is kept. */
  void add(KeyRecord record, Set<Address> holders, long nowMillis) {
    Hint old = hints.get(record.key());
    if (old != null && old.record().version().compareTo(record.version()) > 0) {
      return;
    }
    if (old != null) {
      hints.remove(record.key());
      bytes -= old.bytes();
    }
    Hint h = new Hint(record, new TreeSet<>(holders), nowMillis + retentionMillis);
    hints.put(record.key(), h);
    bytes += h.bytes();
    Iterator<Hint> eldest = hints.values().iterator();
    while (hints.size() > MAX_HINTS || bytes > MAX_BYTES) {
      bytes -= eldest.next().bytes();
      eldest.remove();
    }
  }

  /**
   * What to send now that the ring is {@code ownersOf}: each hinted record to each of its key's
   * owners that is not known to hold it (who then count as holding it). Expired hints go.
   */
  List<Delivery> deliveries(Function<String, List<Address>> ownersOf, long nowMillis) {
    List<Delivery> out = new ArrayList<>();
    Iterator<Map.Entry<String, Hint>> it = hints.entrySet().iterator();
    while (it.hasNext()) {
      Hint h = it.next().getValue();
      if (h.expiresAtMillis() <= nowMillis) {
        bytes -= h.bytes();
        it.remove();
        continue;
      }
      for (Address owner : ownersOf.apply(h.record().key())) {
        if (h.holders().add(owner)) {
          out.add(new Delivery(owner, h.record()));
        }
      }
    }
    return out;
  }

  int size() {
    return hints.size();
  }
}
