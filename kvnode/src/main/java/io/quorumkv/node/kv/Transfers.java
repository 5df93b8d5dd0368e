package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.Release;
import io.quorumkv.node.Counters;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The moving parts of stabilization: keys queued per target, batches in flight with their
 * retries, and what to do once every target of a key acknowledged it (release the former owners,
 * or drop our own copy). Records are read from storage when a batch is built, so a key written
 * meanwhile travels in its newest version. Bounded: queues by the keys stored, flight by
 * {@link KvConfig#handoffBatchesInFlight()}, retries by {@link KvConfig#handoffAttempts()}.
 */
final class Transfers {

  /** Bytes of records per batch before the exact size check; leaves room for the envelope. */
  private static final int BATCH_BUDGET_BYTES = Limits.MAX_DATAGRAM_BYTES - 1024;
  /** Rough JSON cost of one record besides its key and value (version, field names). */
  private static final int RECORD_OVERHEAD_BYTES = 110;

  private static final class Handover {
    int remaining;
    final List<Address> leavers;
    final boolean dropAfter;

    Handover(int remaining, List<Address> leavers, boolean dropAfter) {
      this.remaining = remaining;
      this.leavers = leavers;
      this.dropAfter = dropAfter;
    }
  }

  private record Batch(long id, Address target, Handoff handoff, int attempts, long retryAt) {
  }

  private final KvConfig config;
  private final Address self;
  private final Storage storage;
  private final Outbox outbox;
  private final Counters counters;
  private final Predicate<Handoff> fits;
  private final LinkedHashMap<Address, ArrayDeque<String>> queued = new LinkedHashMap<>();
  private final Map<String, Handover> handovers = new HashMap<>();
  private final TreeMap<Long, Batch> inFlight = new TreeMap<>();
  private long nextBatchId = 1;
  private long lastNow;

  Transfers(KvConfig config, Address self, Storage storage, Outbox outbox, Counters counters,
      Predicate<Handoff> fits) {
    this.config = config;
    this.self = self;
    this.storage = storage;
    this.outbox = outbox;
    this.counters = counters;
    this.fits = fits;
  }

  /** Plans to send {@code key} to {@code targets}; afterwards release or drop as asked. */
  void queue(String key, List<Address> targets, List<Address> leavers, boolean dropAfter) {
    if (targets.isEmpty()) {
      if (!leavers.isEmpty()) {
        for (Address leaver : leavers) {
          outbox.send(leaver, Envelope.of(self, 0, new Release(List.of(key))));
        }
      }
      return;
    }
    handovers.put(key, new Handover(targets.size(), List.copyOf(leavers), dropAfter));
    for (Address t : targets) {
      queued.computeIfAbsent(t, a -> new ArrayDeque<>()).add(key);
    }
  }

  /** Forgets queued keys (a new view replans them); batches in flight still complete. */
  void clearQueued() {
    queued.clear();
    handovers.clear();
  }

  boolean isSending(String key) {
    return handovers.containsKey(key);
  }

  boolean busy() {
    return !queued.isEmpty() || !inFlight.isEmpty();
  }

  long nextWakeup() {
    if (!queued.isEmpty() && inFlight.size() < config.handoffBatchesInFlight()) {
      return lastNow;
    }
    long next = Long.MAX_VALUE;
    for (Batch b : inFlight.values()) {
      next = Math.min(next, b.retryAt());
    }
    return next;
  }

  void onTick(long nowMillis, RoundStats stats) {
    lastNow = nowMillis;
    List<Batch> due = new ArrayList<>();
    for (Batch b : inFlight.values()) {
      if (b.retryAt() <= nowMillis) {
        due.add(b);
      }
    }
    for (Batch b : due) {
      if (b.attempts() >= config.handoffAttempts()) {
        inFlight.remove(b.id());
        stats.gaveUp++;
        counters.increment("kv.handoff.gave-up");
      } else {
        inFlight.put(b.id(), new Batch(b.id(), b.target(), b.handoff(), b.attempts() + 1,
            nowMillis + config.handoffRetryMillis()));
        outbox.send(b.target(), Envelope.of(self, b.id(), b.handoff()));
        counters.increment("kv.handoff.retries");
      }
    }
    fillWindow(nowMillis, stats);
  }

  void onAck(Address from, long batchId, RoundStats stats) {
    Batch b = inFlight.get(batchId);
    if (b == null || !b.target().equals(from)) {
      counters.increment("kv.handoff.stray-acks");
      return;
    }
    inFlight.remove(batchId);
    stats.keysSent += b.handoff().records().size();
    Map<Address, List<String>> releases = new TreeMap<>();
    for (KeyRecord r : b.handoff().records()) {
      Handover h = handovers.get(r.key());
      if (h == null || --h.remaining > 0) {
        continue;
      }
      handovers.remove(r.key());
      for (Address leaver : h.leavers) {
        releases.computeIfAbsent(leaver, a -> new ArrayList<>()).add(r.key());
      }
      if (h.dropAfter) {
        storage.remove(r.key());
        stats.dropped++;
        counters.increment("kv.handoff.dropped");
      }
    }
    releases.forEach(this::sendReleases);
    fillWindow(lastNow, stats);
  }

  private void fillWindow(long nowMillis, RoundStats stats) {
    Iterator<Map.Entry<Address, ArrayDeque<String>>> targets = queued.entrySet().iterator();
    while (inFlight.size() < config.handoffBatchesInFlight() && targets.hasNext()) {
      Map.Entry<Address, ArrayDeque<String>> e = targets.next();
      Handoff handoff = nextBatch(e.getValue());
      if (e.getValue().isEmpty()) {
        targets.remove();
      }
      if (handoff == null) {
        continue;
      }
      long id = nextBatchId++;
      inFlight.put(id, new Batch(id, e.getKey(), handoff, 1,
          nowMillis + config.handoffRetryMillis()));
      outbox.send(e.getKey(), Envelope.of(self, id, handoff));
      stats.batches++;
      counters.increment("kv.handoff.batches");
      if (!targets.hasNext() && !queued.isEmpty()) {
        targets = queued.entrySet().iterator(); // round-robin over targets until the window fills
      }
    }
  }

  /** Takes keys off {@code keys} into one batch that fits a datagram, or null if none left. */
  private Handoff nextBatch(ArrayDeque<String> keys) {
    List<KeyRecord> records = new ArrayList<>();
    int bytes = 0;
    while (!keys.isEmpty() && records.size() < Handoff.MAX_RECORDS) {
      KeyRecord r = storage.get(keys.peek());
      int cost = utf8(r.key()) + utf8(r.value()) + RECORD_OVERHEAD_BYTES;
      if (!records.isEmpty() && bytes + cost > BATCH_BUDGET_BYTES) {
        break;
      }
      keys.poll();
      if (r.version().timestamp() == 0) {
        continue; // removed since it was planned: nothing to send
      }
      records.add(r);
      bytes += cost;
    }
    // Escaped characters can make the estimate short: halve until the batch fits.
    while (records.size() > 1 && !fits.test(new Handoff(records, true))) {
      List<KeyRecord> back = records.subList(records.size() / 2, records.size());
      for (int i = back.size() - 1; i >= 0; i--) {
        keys.addFirst(back.get(i).key());
      }
      records = new ArrayList<>(records.subList(0, records.size() / 2));
    }
    return records.isEmpty() ? null : new Handoff(records, true);
  }

  private void sendReleases(Address leaver, List<String> keys) {
    List<String> page = new ArrayList<>();
    int bytes = 0;
    for (String key : keys) {
      int cost = utf8(key) + 8;
      if (!page.isEmpty() && (bytes + cost > BATCH_BUDGET_BYTES || page.size() == Handoff.MAX_RECORDS)) {
        outbox.send(leaver, Envelope.of(self, 0, new Release(page)));
        page = new ArrayList<>();
        bytes = 0;
      }
      page.add(key);
      bytes += cost;
    }
    if (!page.isEmpty()) {
      outbox.send(leaver, Envelope.of(self, 0, new Release(page)));
    }
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
