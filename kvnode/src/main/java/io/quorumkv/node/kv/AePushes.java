package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.Message;
import io.quorumkv.node.Counters;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.Storage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Anti-entropy's repairs on their way out: the keys its sessions decided to push, queued, and
 * sent as silent repairs ({@link Handoff} without acknowledgement), at most {@link #PER_TICK} a
 * tick so a session with many differences does not hold the loop, batched per peer within a
 * datagram. A record is read when it is sent, so it goes as it is then, and a key forgotten
 * meanwhile is skipped. Counts {@code kv.ae.pushed}.
 */
final class AePushes {

  static final int PER_TICK = 512;
  /** Estimated bytes of records per pushed datagram, leaving room for the envelope. */
  private static final int BATCH_BUDGET_BYTES = Limits.MAX_DATAGRAM_BYTES - 1024;

  private record Push(Address to, String key) {
  }

  private final Address self;
  private final Storage storage;
  private final Outbox outbox;
  private final Counters counters;
  private final Predicate<Message> fits;
  private final ArrayDeque<Push> queue = new ArrayDeque<>();

  AePushes(Address self, Storage storage, Outbox outbox, Counters counters,
      Predicate<Message> fits) {
    this.self = self;
    this.storage = storage;
    this.outbox = outbox;
    this.counters = counters;
    this.fits = fits;
  }

  void add(Address to, String key) {
    queue.add(new Push(to, key));
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Sends up to {@link #PER_TICK} queued records, batched per peer within a datagram. */
  void drain() {
    Map<Address, List<KeyRecord>> batches = new TreeMap<>();
    Map<Address, Integer> bytes = new TreeMap<>();
    for (int i = 0; i < PER_TICK && !queue.isEmpty(); i++) {
      Push p = queue.poll();
      KeyRecord r = storage.get(p.key());
      if (r.version().timestamp() == 0) {
        continue; // forgotten meanwhile (handed off, or a purged tombstone)
      }
      List<KeyRecord> batch = batches.computeIfAbsent(p.to(), a -> new ArrayList<>());
      int cost = r.key().length() * 3 + r.value().length() * 3 + 110;
      int used = bytes.getOrDefault(p.to(), 0);
      if (batch.size() == Handoff.MAX_RECORDS || used + cost > BATCH_BUDGET_BYTES) {
        flush(p.to(), batch);
        used = 0;
      }
      batch.add(r);
      bytes.put(p.to(), used + cost);
    }
    batches.forEach(this::flush);
  }

  /**
   * Sends {@code batch} to {@code to} (halved until each part fits: the estimate above counts
   * three bytes a character, which JSON escapes can still exceed), and empties it.
   */
  private void flush(Address to, List<KeyRecord> batch) {
    List<KeyRecord> rest = new ArrayList<>(batch);
    batch.clear();
    while (!rest.isEmpty()) {
      int n = rest.size();
      while (n > 1 && !fits.test(new Handoff(rest.subList(0, n), false))) {
        n /= 2;
      }
      counters.add("kv.ae.pushed", n);
      outbox.send(to, Envelope.of(self, 0, new Handoff(List.copyOf(rest.subList(0, n)), false)));
      rest = new ArrayList<>(rest.subList(n, rest.size()));
    }
  }
}
