package io.quorumkv.node.kv;

import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.AeBucket;
import io.quorumkv.common.wire.AeDigest;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.OversizedMessageException;
import io.quorumkv.node.Counters;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.LastWriterWins;
import io.quorumkv.node.storage.MemoryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Two nodes' anti-entropy alone, joined by a lossless link through the codec, on simulated time:
 * both replicate every key (a ring of two, three replicas), a pushed record is merged as a
 * replica would, and every message sent is kept, with when and by whom, for the test to read.
 * Each node may be given a steady request load ({@link #load}), counted as its KvService would,
 * and keeps its {@link Reconciliation}, told of pushed tombstones as its storage would tell it.
 */
final class AePair {

  static final Address[] ADDRESSES = {new Address("127.0.0.1", 7001),
      new Address("127.0.0.1", 7002)};
  private static final Codec CODEC = new Codec();

  /** One message as it left a node. */
  record Sent(int from, long atMillis, Message message) {
  }

  final MemoryStorage[] stores = {new MemoryStorage(), new MemoryStorage()};
  final Counters[] counters = {new Counters(), new Counters()};
  final MembershipView view;
  final Reconciliation[] reconciliations = new Reconciliation[2];
  final List<Sent> sent = new ArrayList<>();
  private final RequestLoad[] loads = {new RequestLoad(), new RequestLoad()};
  private int requestsPerSecond;
  private long loadFromMillis;
  private long requestsRecorded;
  private final Outbox[] outboxes = {new Outbox(CODEC, counters[0], 65_536),
      new Outbox(CODEC, counters[1], 65_536)};
  private final AntiEntropy[] nodes = new AntiEntropy[2];
  long now;

  /**
   * Node {@code i} is built at {@code builtAtMillis[i]} (it begins its first session within half
   * to one and a half intervals of it); the pair's time starts at {@code startMillis}.
   */
  AePair(KvConfig config, long startMillis, long... builtAtMillis) {
    view = view();
    for (int i = 0; i < 2; i++) {
      reconciliations[i] = new Reconciliation(ADDRESSES[i], view);
      nodes[i] = new AntiEntropy(config, ADDRESSES[i], stores[i], outboxes[i], counters[i],
          AePair::fits, new SplittableRandom(i), loads[i], view, reconciliations[i],
          builtAtMillis[i]);
    }
    now = startMillis;
  }

  /**
   * From {@code fromMillis} on (it may be before now: the nodes were already busy), both nodes
   * handle {@code perSecond} requests a second, evenly spaced; 0 stops the load.
   */
  void load(int perSecond, long fromMillis) {
    requestsPerSecond = perSecond;
    loadFromMillis = fromMillis;
    requestsRecorded = 0;
  }

  /** Records, in time order, the requests due by {@code nowMillis} not yet recorded. */
  private void recordLoad(long nowMillis) {
    long due = requestsPerSecond == 0 || nowMillis < loadFromMillis ? 0
        : (nowMillis - loadFromMillis) * requestsPerSecond / 1000;
    while (requestsRecorded < due) {
      requestsRecorded++;
      long at = loadFromMillis + requestsRecorded * 1000 / requestsPerSecond;
      loads[0].record(at);
      loads[1].record(at);
    }
  }

  /**
   * Ticks both nodes at their wake-ups and delivers what they send, until {@code done} holds or
   * time reaches {@code deadlineMillis}; returns whether {@code done} holds.
   */
  boolean runUntil(BooleanSupplier done, long deadlineMillis) {
    while (!done.getAsBoolean() && now < deadlineMillis) {
      recordLoad(now);
      for (int i = 0; i < 2; i++) {
        nodes[i].onTick(false, now);
        for (Outbox.Datagram d : outboxes[i].drain()) {
          Message m = ((Decoded.Ok) CODEC.decode(d.bytes())).envelope().message();
          sent.add(new Sent(i, now, m));
          AntiEntropy to = nodes[1 - i];
          if (m instanceof AeDigest digest) {
            to.onDigest(ADDRESSES[i], digest, false, now);
          } else if (m instanceof AeBucket bucket) {
            to.onBucket(ADDRESSES[i], bucket);
          } else if (m instanceof Handoff handoff) {
            for (var r : handoff.records()) {
              LastWriterWins.merge(stores[1 - i], r);
              if (r.tombstone()) {
                reconciliations[1 - i].tombstoneStored(
                    HybridClock.physicalMillis(r.version().timestamp()));
              }
            }
          }
        }
      }
      now = Math.max(now + 1, Math.min(nodes[0].nextWakeup(), nodes[1].nextWakeup()));
    }
    return done.getAsBoolean();
  }

  /** The messages of type {@code type} that node {@code from} sent, oldest first. */
  <M extends Message> List<M> sentBy(int from, Class<M> type) {
    return sent.stream().filter(s -> s.from() == from && type.isInstance(s.message()))
        .map(s -> type.cast(s.message())).toList();
  }

  /**
   * Two replicas of the same {@code keys} keys ({@code k00000} on), stamped a second before
   * {@code startMillis}, when the pair's time starts. Node 0 begins its first session then: it
   * was built an interval and a half before, so that session is due by then, while node 1, built
   * at {@code startMillis}, begins none for at least half an interval.
   */
  static AePair inSync(KvConfig config, long startMillis, int keys) {
    AePair p = new AePair(config, startMillis, startMillis - config.aeIntervalMillis() * 3 / 2,
        startMillis);
    Version v = new Version(HybridClock.pack(startMillis - 1000, 0), ADDRESSES[0]);
    for (int i = 0; i < keys; i++) {
      KeyRecord r = new KeyRecord(String.format("k%05d", i), "v", false, v);
      p.stores[0].put(r);
      p.stores[1].put(r);
    }
    return p;
  }

  /** The two nodes, each in its first life. */
  static MembershipView view() {
    TreeMap<Address, Long> generations = new TreeMap<>();
    generations.put(ADDRESSES[0], 1L);
    generations.put(ADDRESSES[1], 1L);
    return new MembershipView(HashRing.of(List.of(ADDRESSES)), generations);
  }

  /** As a node decides: whether the message, in an envelope, fits in a datagram. */
  static boolean fits(Message m) {
    try {
      CODEC.encode(Envelope.of(ADDRESSES[0], 0, m));
      return true;
    } catch (OversizedMessageException e) {
      return false;
    }
  }
}
