package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KeyVersion;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.Offer;
import io.quorumkv.common.wire.OfferReply;
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
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The sending side of stabilization. For each key to move: offer it to each target, send the
 * record to the targets that want it, and count a target as confirmed once it answered "have" or
 * acknowledged the record; when every target confirmed a key we were handing off, drop our copy.
 *
 * <p>Offers and records go in batches that fit a datagram, at most
 * {@link KvConfig#handoffBatchesInFlight()} in flight, each resent until answered or given up
 * after {@link KvConfig#handoffAttempts()} sends. Records are read from storage when a batch is
 * built, so a key written meanwhile travels in its newest version.
 */
final class Transfers {

  /** Bytes of entries per batch before the exact size check; leaves room for the envelope. */
  private static final int BATCH_BUDGET_BYTES = Limits.MAX_DATAGRAM_BYTES - 1024;
  /** Rough JSON cost of one entry besides its key and value (version, field names). */
  private static final int ENTRY_OVERHEAD_BYTES = 110;

  private record Handover(TreeSet<Address> unconfirmed, boolean dropAfter) {
  }

  private record Flight(long id, Address target, Message message, List<String> keys,
      int attempts, long retryAt) {
  }

  private record Deferred(String key, Address target, long atMillis) {
  }

  private final KvConfig config;
  private final Address self;
  private final Storage storage;
  private final Outbox outbox;
  private final Counters counters;
  private final Predicate<Message> fits;
  private final Map<String, Handover> handovers = new HashMap<>();
  private final LinkedHashMap<Address, ArrayDeque<String>> toOffer = new LinkedHashMap<>();
  private final LinkedHashMap<Address, ArrayDeque<String>> toSend = new LinkedHashMap<>();
  private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();
  private final TreeMap<Long, Flight> inFlight = new TreeMap<>();
  private long nextBatchId = 1;
  private long lastNow;

  Transfers(KvConfig config, Address self, Storage storage, Outbox outbox, Counters counters,
      Predicate<Message> fits) {
    this.config = config;
    this.self = self;
    this.storage = storage;
    this.outbox = outbox;
    this.counters = counters;
    this.fits = fits;
  }

  /** Plans to offer {@code key} to {@code targets}; drop it after when {@code dropAfter}. */
  void queue(String key, List<Address> targets, boolean dropAfter) {
    handovers.put(key, new Handover(new TreeSet<>(targets), dropAfter));
    for (Address t : targets) {
      toOffer.computeIfAbsent(t, a -> new ArrayDeque<>()).add(key);
    }
  }

  /** Forgets every plan (a new view replans); answers to batches in flight are then ignored. */
  void clear() {
    handovers.clear();
    toOffer.clear();
    toSend.clear();
    deferred.clear();
  }

  /** True while this key is being handed over (so a release of it must not drop it). */
  boolean isMoving(String key) {
    return handovers.containsKey(key);
  }

  boolean busy() {
    return !handovers.isEmpty() || !inFlight.isEmpty();
  }

  long nextWakeup() {
    boolean work = !toOffer.isEmpty() || !toSend.isEmpty();
    if (work && inFlight.size() < config.handoffBatchesInFlight()) {
      return lastNow;
    }
    long next = deferred.isEmpty() ? Long.MAX_VALUE : deferred.peek().atMillis();
    for (Flight f : inFlight.values()) {
      next = Math.min(next, f.retryAt());
    }
    return next;
  }

  void onTick(long nowMillis, RoundStats stats) {
    lastNow = nowMillis;
    while (!deferred.isEmpty() && deferred.peek().atMillis() <= nowMillis) {
      Deferred d = deferred.poll();
      if (handovers.containsKey(d.key())) {
        toOffer.computeIfAbsent(d.target(), a -> new ArrayDeque<>()).add(d.key());
      }
    }
    List<Flight> due = new ArrayList<>();
    for (Flight f : inFlight.values()) {
      if (f.retryAt() <= nowMillis) {
        due.add(f);
      }
    }
    for (Flight f : due) {
      if (f.attempts() >= config.handoffAttempts()) {
        inFlight.remove(f.id());
        stats.gaveUp++;
        counters.increment("kv.handoff.gave-up");
        for (String key : f.keys()) {
          handovers.remove(key); // keep our copy; the orphan sweep or a later round retries
        }
      } else {
        inFlight.put(f.id(), new Flight(f.id(), f.target(), f.message(), f.keys(),
            f.attempts() + 1, nowMillis + config.handoffRetryMillis()));
        outbox.send(f.target(), Envelope.of(self, f.id(), f.message()));
        counters.increment("kv.handoff.retries");
      }
    }
    fillWindow(nowMillis, stats);
  }

  void onOfferReply(Address from, long batchId, OfferReply reply, RoundStats stats) {
    Flight f = landed(from, batchId, Offer.class);
    if (f == null) {
      return;
    }
    for (String key : f.keys()) {
      if (reply.want().contains(key)) {
        toSend.computeIfAbsent(from, a -> new ArrayDeque<>()).add(key);
      } else if (reply.later().contains(key)) {
        deferred.add(new Deferred(key, from, lastNow + config.handoffRetryMillis()));
      } else {
        confirmed(from, key, stats);
      }
    }
    fillWindow(lastNow, stats);
  }

  void onHandoffAck(Address from, long batchId, RoundStats stats) {
    Flight f = landed(from, batchId, Handoff.class);
    if (f == null) {
      return;
    }
    stats.keysSent += f.keys().size();
    for (String key : f.keys()) {
      confirmed(from, key, stats);
    }
    fillWindow(lastNow, stats);
  }

  private Flight landed(Address from, long batchId, Class<? extends Message> kind) {
    Flight f = inFlight.get(batchId);
    if (f == null || !f.target().equals(from) || !kind.isInstance(f.message())) {
      counters.increment("kv.handoff.stray-answers");
      return null;
    }
    inFlight.remove(batchId);
    return f;
  }

  private void confirmed(Address target, String key, RoundStats stats) {
    Handover h = handovers.get(key);
    if (h == null || !h.unconfirmed().remove(target) || !h.unconfirmed().isEmpty()) {
      return;
    }
    handovers.remove(key);
    if (h.dropAfter()) {
      storage.remove(key);
      stats.dropped++;
      counters.increment("kv.handoff.dropped");
    }
  }

  private void fillWindow(long nowMillis, RoundStats stats) {
    while (inFlight.size() < config.handoffBatchesInFlight()) {
      // Records wanted go before new offers: they finish handovers already under way.
      Flight f = nextFlight(toSend, true, nowMillis);
      if (f == null) {
        f = nextFlight(toOffer, false, nowMillis);
      }
      if (f == null) {
        return;
      }
      inFlight.put(f.id(), f);
      outbox.send(f.target(), Envelope.of(self, f.id(), f.message()));
      stats.batches++;
      counters.increment(f.message() instanceof Offer ? "kv.handoff.offers" : "kv.handoff.batches");
    }
  }

  /** One batch for the first target with queued keys, or null when all queues are empty. */
  private Flight nextFlight(LinkedHashMap<Address, ArrayDeque<String>> queues, boolean records,
      long nowMillis) {
    Iterator<Map.Entry<Address, ArrayDeque<String>>> it = queues.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Address, ArrayDeque<String>> e = it.next();
      List<KeyRecord> batch = take(e.getValue(), records);
      if (e.getValue().isEmpty()) {
        it.remove();
      }
      if (batch.isEmpty()) {
        continue;
      }
      List<String> keys = new ArrayList<>();
      List<KeyVersion> entries = new ArrayList<>();
      for (KeyRecord r : batch) {
        keys.add(r.key());
        entries.add(new KeyVersion(r.key(), r.version()));
      }
      Message m = records ? new Handoff(batch, true) : new Offer(entries);
      return new Flight(nextBatchId++, e.getKey(), m, keys, 1,
          nowMillis + config.handoffRetryMillis());
    }
    return null;
  }

  /** Takes keys off {@code keys} into one batch that fits a datagram. */
  private List<KeyRecord> take(ArrayDeque<String> keys, boolean withValues) {
    List<KeyRecord> batch = new ArrayList<>();
    int bytes = 0;
    while (!keys.isEmpty() && batch.size() < Offer.MAX_ENTRIES) {
      KeyRecord r = storage.get(keys.peek());
      int cost = utf8(r.key()) + (withValues ? utf8(r.value()) : 0) + ENTRY_OVERHEAD_BYTES;
      if (!batch.isEmpty() && bytes + cost > BATCH_BUDGET_BYTES) {
        break;
      }
      keys.poll();
      if (r.version().timestamp() == 0 || !handovers.containsKey(r.key())) {
        continue; // removed or no longer moving since it was planned
      }
      batch.add(r);
      bytes += cost;
    }
    // Escaped characters can make the estimate short: halve until the batch fits.
    while (batch.size() > 1 && !fits.test(withValues ? new Handoff(batch, true)
        : new Offer(batch.stream().map(r -> new KeyVersion(r.key(), r.version())).toList()))) {
      List<KeyRecord> back = batch.subList(batch.size() / 2, batch.size());
      for (int i = back.size() - 1; i >= 0; i--) {
        keys.addFirst(back.get(i).key());
      }
      batch = new ArrayList<>(batch.subList(0, batch.size() / 2));
    }
    return batch;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
