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
 * that stored it and those still missing it, and offered to the missing ones until each has
 * acknowledged it or the hint expires. The replicas missing a record are its owners minus its
 * holders: a replica that was down, and, when the ring changes, a key's new owner (whose peers'
 * stabilization rounds ran before the write existed).
 *
 * <p>Bounded by entries and by bytes (records carry values); the oldest hints go first. Only the
 * newest record per key is kept: it supersedes older ones under last writer wins. Each hint is
 * retried with a doubling backoff, so a long-dead replica costs little.
 */
final class Hints {

  /** Most hints kept; past it the oldest are forgotten. */
  static final int MAX_HINTS = 16_384;
  /** Most bytes of keys and values kept in hints. */
  static final long MAX_BYTES = 16L << 20;
  /** Longest wait between two offers of one hint, in retry intervals. */
  static final int MAX_BACKOFF = 8;

  private static final class Hint {
    final KeyRecord record;
    final Set<Address> holders;
    final Set<Address> missing;
    final long expiresAtMillis;
    long nextTryMillis;
    int backoff = 1;

    Hint(KeyRecord record, Set<Address> holders, Set<Address> missing, long expiresAtMillis) {
      this.record = record;
      this.holders = holders;
      this.missing = missing;
      this.expiresAtMillis = expiresAtMillis;
    }

    long bytes() {
      return 2L * (record.key().length() + record.value().length()) + 96;
    }
  }

  /** One record to send to one node. */
  record Delivery(Address to, KeyRecord record) {
  }

  private final long retentionMillis;
  private final long retryMillis;
  private final LinkedHashMap<String, Hint> hints = new LinkedHashMap<>();
  private long bytes;
  private long dropped;

  /**
   * @param retentionMillis how long a hint is kept
   * @param retryMillis the first wait between two offers of one hint
   */
  Hints(long retentionMillis, long retryMillis) {
    this.retentionMillis = retentionMillis;
    this.retryMillis = retryMillis;
  }

  /**
   * Keeps {@code record}, which {@code holders} stored and {@code owners} should, unless a newer
   * one of its key is kept.
   */
  void add(KeyRecord record, Set<Address> holders, List<Address> owners, long nowMillis) {
    Hint old = hints.get(record.key());
    if (old != null && old.record.version().compareTo(record.version()) > 0) {
      return;
    }
    if (old != null) {
      hints.remove(record.key());
      bytes -= old.bytes();
    }
    Set<Address> missing = new TreeSet<>(owners);
    missing.removeAll(holders);
    if (missing.isEmpty()) {
      return;
    }
    Hint h = new Hint(record, new TreeSet<>(holders), missing, nowMillis + retentionMillis);
    h.nextTryMillis = nowMillis;
    hints.put(record.key(), h);
    bytes += h.bytes();
    Iterator<Hint> eldest = hints.values().iterator();
    while (hints.size() > MAX_HINTS || bytes > MAX_BYTES) {
      bytes -= eldest.next().bytes();
      eldest.remove();
      dropped++;
    }
  }

  /** The ring changed: each hint is now missing at its key's owners that do not hold it. */
  void ownersChanged(Function<String, List<Address>> ownersOf, long nowMillis) {
    for (Hint h : hints.values()) {
      h.missing.clear();
      for (Address owner : ownersOf.apply(h.record.key())) {
        if (!h.holders.contains(owner)) {
          h.missing.add(owner);
        }
      }
      h.nextTryMillis = nowMillis;
      h.backoff = 1;
    }
    hints.values().removeIf(h -> h.missing.isEmpty());
  }

  /** Up to {@code max} deliveries due now (expired hints go); each hint's next try backs off. */
  List<Delivery> due(long nowMillis, int max) {
    List<Delivery> out = new ArrayList<>();
    Iterator<Map.Entry<String, Hint>> it = hints.entrySet().iterator();
    while (it.hasNext() && out.size() < max) {
      Hint h = it.next().getValue();
      if (h.expiresAtMillis <= nowMillis) {
        bytes -= h.bytes();
        it.remove();
        continue;
      }
      if (h.nextTryMillis > nowMillis) {
        continue;
      }
      for (Address to : h.missing) {
        out.add(new Delivery(to, h.record));
      }
      h.nextTryMillis = nowMillis + retryMillis * h.backoff;
      h.backoff = Math.min(MAX_BACKOFF, h.backoff * 2);
    }
    return out;
  }

  /** {@code to} acknowledged {@code record}: it holds it now. True if that settled a hint. */
  boolean acknowledged(Address to, KeyRecord record) {
    Hint h = hints.get(record.key());
    if (h == null || !h.record.version().equals(record.version())) {
      return false;
    }
    h.missing.remove(to);
    h.holders.add(to);
    if (h.missing.isEmpty()) {
      hints.remove(record.key());
      bytes -= h.bytes();
    }
    return true;
  }

  int size() {
    return hints.size();
  }

  boolean isEmpty() {
    return hints.isEmpty();
  }

  long bytes() {
    return bytes;
  }

  /** Hints forgotten to stay within the bounds. */
  long dropped() {
    return dropped;
  }
}
