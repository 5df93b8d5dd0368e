package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.Message;
import io.quorumkv.node.Counters;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Delivers the coordinator's {@link Hints}: every retry interval (the stabilization batches'
 * {@link KvConfig#handoffRetryMillis()}), the due hints go to the replicas missing them as
 * acknowledged {@link Handoff}s, at most {@link #RECORDS_PER_TICK} records a tick; a replica's
 * {@code HandoffAck} settles its records. A replica that is down simply does not answer, and is
 * offered again, less and less often, until it is back (it then acknowledges) or the hint
 * expires ({@link KvConfig#hintRetentionMillis()}). Hints never count toward a write's quorum:
 * they exist only for writes already answered.
 *
 * <p>Hint batches carry request ids from {@link #ID_BASE} up ({@link #isHintBatch}), far above
 * any stabilization batch's, so their acknowledgements are told apart.
 */
final class HintedHandoff {

  static final int RECORDS_PER_TICK = 256;
  /** 2^62: stabilization numbers its batches from 1, and would need centuries to get here. */
  static final long ID_BASE = 1L << 62;
  /** Batches awaiting acknowledgement; older ones are forgotten (their hints are retried). */
  static final int MAX_BATCHES = 1024;

  private record Batch(Address to, List<KeyRecord> records) {
  }

  private final KvConfig config;
  private final Address self;
  private final Outbox outbox;
  private final Counters counters;
  private final Predicate<Message> fits;
  private final Hints hints;
  private final TreeMap<Long, Batch> batches = new TreeMap<>();
  private long nextBatch = 1;
  private long nextTryMillis = Long.MAX_VALUE;

  HintedHandoff(KvConfig config, Address self, Outbox outbox, Counters counters,
      Predicate<Message> fits) {
    this.config = config;
    this.self = self;
    this.outbox = outbox;
    this.counters = counters;
    this.fits = fits;
    this.hints = new Hints(config.hintRetentionMillis(), config.handoffRetryMillis());
  }

  static boolean isHintBatch(long requestId) {
    return requestId >= ID_BASE;
  }

  /** A write acknowledged by {@code holders} only: offer it to the rest of {@code owners}. */
  void keep(KeyRecord record, Set<Address> holders, List<Address> owners, long nowMillis) {
    counters.increment("kv.hints.kept");
    hints.add(record, holders, owners, nowMillis);
    nextTryMillis = Math.min(nextTryMillis, nowMillis);
  }

  /** The ring changed: offer each hint to its key's current owners. */
  void ownersChanged(Function<String, List<Address>> ownersOf, long nowMillis) {
    hints.ownersChanged(ownersOf, nowMillis);
    nextTryMillis = hints.isEmpty() ? Long.MAX_VALUE : nowMillis;
  }

  void onTick(long nowMillis) {
    if (nowMillis < nextTryMillis) {
      return;
    }
    Map<Address, List<KeyRecord>> byTarget = new TreeMap<>();
    for (Hints.Delivery d : hints.due(nowMillis, RECORDS_PER_TICK)) {
      byTarget.computeIfAbsent(d.to(), a -> new ArrayList<>()).add(d.record());
    }
    byTarget.forEach(this::send);
    nextTryMillis = hints.isEmpty() ? Long.MAX_VALUE : nowMillis + config.handoffRetryMillis();
  }

  long nextWakeup() {
    return nextTryMillis;
  }

  /** {@code from} acknowledged hint batch {@code requestId}. */
  void onAck(Address from, long requestId) {
    Batch b = batches.remove(requestId);
    if (b == null || !b.to().equals(from)) {
      return;
    }
    for (KeyRecord r : b.records()) {
      if (hints.acknowledged(from, r)) {
        counters.increment("kv.hints.delivered");
      }
    }
  }

  /** Gauges for the stats reply: hints pending and the bytes they hold. */
  Map<String, Long> figures() {
    return Map.of("kv.hints.pending", (long) hints.size(), "kv.hints.bytes", hints.bytes(),
        "kv.hints.dropped", hints.dropped());
  }

  /** Sends {@code records} to {@code to} in acknowledged batches that fit a datagram. */
  private void send(Address to, List<KeyRecord> records) {
    int from = 0;
    while (from < records.size()) {
      int n = Math.min(records.size() - from, Handoff.MAX_RECORDS);
      while (n > 1 && !fits.test(new Handoff(records.subList(from, from + n), true))) {
        n /= 2;
      }
      List<KeyRecord> batch = List.copyOf(records.subList(from, from + n));
      long id = ID_BASE + nextBatch++;
      batches.put(id, new Batch(to, batch));
      while (batches.size() > MAX_BATCHES) {
        batches.pollFirstEntry();
      }
      counters.add("kv.hints.sent", batch.size());
      outbox.send(to, Envelope.of(self, id, new Handoff(batch, true)));
      from += n;
    }
  }
}
