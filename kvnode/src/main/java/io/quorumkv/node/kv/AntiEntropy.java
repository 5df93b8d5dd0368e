package io.quorumkv.node.kv;

import io.quorumkv.common.wire.AeBucket;
import io.quorumkv.common.wire.AeDigest;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KeyVersion;
import io.quorumkv.common.wire.Message;
import io.quorumkv.node.Counters;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.Storage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Active anti-entropy, after Riak's: every {@link KvConfig#aeIntervalMillis()} (jittered) a node
 * picks a random member and compares with it the records both are replicas of, bucket by bucket
 * ({@link AeSession}); each side then pushes, as silent repairs, the records of the differing
 * buckets that it holds newer or the other lacks. So replicas that missed writes (a lost
 * datagram, a pause, a restart from disk) converge without an operator, and a delete reaches a
 * replica that missed it before its tombstone could be purged.
 *
 * <p>A session hashes and pushes only records stamped before its cutoff: when the initiator
 * began it, by the initiator's clock, sent in its {@link AeDigest} and used by both sides. A
 * record stamped since is its coordinator's to deliver, and a later session compares it.
 *
 * <p>Bounded so that it never starves client traffic: one session begun at a time, at most
 * {@link #MAX_INCOMING} answered at once, {@link WalkPace#KEYS_PER_SECOND} keys walked a second
 * over all sessions (a page at most per tick), a tenth of that while the node is busy with
 * requests ({@link AePace}: background repair yields to foreground load), at most
 * {@link KvConfig#aeMaxKeysPerSession()} entries collected per session, at most
 * {@link AePushes#PER_TICK} records pushed per tick, and every session ends at its deadline. No
 * session runs while stabilization moves keys (the owners are changing); a membership change
 * ends every session.
 *
 * <p>A session that ends complete (in sync, or every differing bucket compared with none of our
 * entries left out by {@link KvConfig#aeMaxKeysPerSession()}) is reported to
 * {@link Reconciliation}, on either side: the orphan sweep purges a tombstone only once such a
 * session with every other member proved it held there.
 */
final class AntiEntropy {

  static final int MAX_INCOMING = 4;

  private final KvConfig config;
  private final Address self;
  private final Storage storage;
  private final Outbox outbox;
  private final Counters counters;
  private final Predicate<Message> fits;
  private final RandomGenerator random;
  /** Sessions by peer, session number and role ("i" for ours, "r" for the peer's). */
  private final TreeMap<String, AeSession> sessions = new TreeMap<>();
  private final AePushes pushes;
  private MembershipView view;
  private long nextSessionId = 1;
  private long nextStartAt;
  private long lastNow;
  /** Shared by all sessions' walks. */
  private final AePace pace;
  private final Reconciliation reconciliation;

  AntiEntropy(KvConfig config, Address self, Storage storage, Outbox outbox, Counters counters,
      Predicate<Message> fits, RandomGenerator random, RequestLoad load, MembershipView view,
      Reconciliation reconciliation, long nowMillis) {
    this.config = config;
    this.self = self;
    this.storage = storage;
    this.outbox = outbox;
    this.counters = counters;
    this.fits = fits;
    this.random = random;
    this.pushes = new AePushes(self, storage, outbox, counters, fits);
    this.view = view;
    this.nextStartAt = nowMillis + jittered();
    this.lastNow = nowMillis;
    this.pace = new AePace(Stabilizer.PLAN_PAGE, load, counters, nowMillis);
    this.reconciliation = reconciliation;
  }

  /** The owners changed: what was being compared is compared against the wrong owners. */
  void onViewChange(MembershipView next) {
    view = next;
    counters.add("kv.ae.aborted", sessions.size());
    sessions.clear();
    reconciliation.viewChanged(next);
  }

  void onTick(boolean stabilizing, long nowMillis) {
    lastNow = nowMillis;
    if (nowMillis >= nextStartAt) {
      nextStartAt = nowMillis + jittered();
      if (!stabilizing && !hasOwnSession()) {
        begin(nowMillis);
      }
    }
    Iterator<AeSession> it = sessions.values().iterator();
    while (it.hasNext()) {
      AeSession s = it.next();
      if (nowMillis >= s.deadlineMillis) {
        counters.increment("kv.ae.timeouts");
        reconciliation.abandoned(key(s.peer, s.id, s.initiator));
        it.remove();
      } else if (s.phase == AeSession.Phase.HASH || s.phase == AeSession.Phase.COLLECT) {
        int allowed = pace.allowed(nowMillis);
        if (allowed > 0) {
          pace.walked(walk(s, allowed, nowMillis), nowMillis);
        }
      }
    }
    sessions.values().removeIf(s -> s.phase == AeSession.Phase.DONE);
    pushes.drain();
  }

  long nextWakeup() {
    if (!pushes.isEmpty()) {
      return lastNow;
    }
    // Loops, not streams: this runs every turn of the loop, and the stream code it inlined
    // (shared with every other stream's call site) was among what the JIT recompiled late.
    for (AeSession s : sessions.values()) {
      if (s.phase == AeSession.Phase.HASH || s.phase == AeSession.Phase.COLLECT) {
        return pace.nextWakeup(lastNow);
      }
    }
    return nextStartAt;
  }

  void onDigest(Address from, AeDigest digest, boolean stabilizing, long nowMillis) {
    if (digest.fromInitiator()) {
      long answering = sessions.values().stream().filter(s -> !s.initiator).count();
      if (stabilizing || answering >= MAX_INCOMING || sessions.containsKey(key(from,
          digest.session(), false))) {
        counters.increment("kv.ae.declined");
        return; // the initiator times out and tries again later
      }
      AeSession s = new AeSession(from, digest.session(), false, digest.stampedBeforeMillis(),
          deadline(nowMillis));
      s.peerDigest = digest.hashes();
      sessions.put(key(from, digest.session(), false), s);
      reconciliation.opened(key(from, digest.session(), false));
      counters.increment("kv.ae.answered");
      return;
    }
    AeSession s = sessions.get(key(from, digest.session(), true));
    if (s != null && s.phase == AeSession.Phase.AWAIT) {
      afterDigests(s, digest.hashes());
    }
  }

  void onBucket(Address from, AeBucket bucket) {
    AeSession s = sessions.get(key(from, bucket.session(), !bucket.fromInitiator()));
    if (s == null) {
      return;
    }
    s.receive(bucket.bucket(), bucket.entries(), bucket.last());
    if (s.phase == AeSession.Phase.EXCHANGE) {
      compareReady(s);
    }
  }

  private void begin(long nowMillis) {
    List<Address> peers = new ArrayList<>(view.ring().members());
    peers.remove(self);
    if (peers.isEmpty()) {
      return;
    }
    Address peer = peers.get(random.nextInt(peers.size()));
    long id = nextSessionId++;
    sessions.put(key(peer, id, true), new AeSession(peer, id, true, nowMillis,
        deadline(nowMillis)));
    reconciliation.opened(key(peer, id, true));
    counters.increment("kv.ae.sessions");
  }

  /**
   * Walks up to {@code limit} keys of the store for {@code s}'s current phase; returns how many
   * it walked. A phase's walk done, the peer gets a fresh {@link #deadline} to answer.
   */
  private int walk(AeSession s, int limit, long nowMillis) {
    List<KeyRecord> page = storage.scan(s.cursor, limit);
    boolean hashing = s.phase == AeSession.Phase.HASH;
    for (KeyRecord r : page) {
      if (hashing && !s.compares(r.version())) {
        continue; // tested first: it costs no hash
      }
      // One hash per key: the ring's token is the key's hash, reused for bucket and record.
      long token = view.ring().tokenOf(r.key());
      if (!shared(token, s.peer)) {
        continue;
      }
      int b = AeHashes.bucketOf(token);
      if (hashing) {
        s.mine[b] ^= AeHashes.hash(r, token);
      } else if (s.differing.get(b) && s.collected < config.aeMaxKeysPerSession()) {
        s.myEntries.computeIfAbsent(b, x -> new ArrayList<>())
            .add(new KeyVersion(r.key(), r.version()));
        s.collected++;
      } else if (s.differing.get(b)) {
        s.truncated = true;
      }
    }
    if (page.size() == limit) {
      s.cursor = page.get(page.size() - 1).key();
      return page.size();
    }
    s.cursor = null;
    s.deadlineMillis = deadline(nowMillis);
    if (hashing) {
      send(s.peer, new AeDigest(s.id, s.initiator, s.stampedBeforeMillis, s.digest()));
      if (s.initiator) {
        s.phase = AeSession.Phase.AWAIT;
      } else {
        afterDigests(s, s.peerDigest);
      }
    } else {
      sendEntries(s);
      s.phase = AeSession.Phase.EXCHANGE;
      compareReady(s);
    }
    return page.size();
  }

  private void afterDigests(AeSession s, List<Long> peerHashes) {
    if (!s.compare(peerHashes)) {
      counters.increment("kv.ae.in-sync");
      ended(s);
      return;
    }
    counters.add("kv.ae.buckets-differing", s.differing.cardinality());
    s.phase = AeSession.Phase.COLLECT;
  }

  /** Sends our entries of every differing bucket ({@link AeSession#entryMessages}). */
  private void sendEntries(AeSession s) {
    for (AeBucket bucket : s.entryMessages(fits)) {
      send(s.peer, bucket);
    }
  }

  private void compareReady(AeSession s) {
    for (int b : s.readyToCompare()) {
      for (String key : s.toPush(b, storage::get)) {
        pushes.add(s.peer, key);
      }
    }
    if (s.allCompared()) {
      ended(s);
    }
  }

  /** {@code s} is done: it proves what it compared unless it left some of our entries out. */
  private void ended(AeSession s) {
    s.phase = AeSession.Phase.DONE;
    String k = key(s.peer, s.id, s.initiator);
    if (s.truncated) {
      reconciliation.abandoned(k);
    } else {
      reconciliation.completed(k, s.peer, s.provedBeforeMillis());
    }
  }

  /** True when our ring names both us and {@code peer} among the replicas of {@code token}. */
  private boolean shared(long token, Address peer) {
    List<Address> owners = view.ring().preferenceListForToken(token, config.replicas());
    return owners.contains(self) && owners.contains(peer);
  }

  /**
   * When a session stage begun now is given up: {@link KvConfig#aeSessionTimeoutMillis} plus
   * the time a paced walk of a store our size may take while every session we may hold walks
   * at once (the peer walks as many shared keys as we do), at the busy pace
   * ({@link AePace#walkMillis}). Without the walk time, a store of more than the timeout times
   * the pace never finished a session. The cost of the busy pace: a session whose peer never
   * answers (a datagram lost, a digest declined) holds its place ten times longer (at 100,000
   * keys locally, 260 s instead of 35 s); a peer that dies ends it sooner, by a view change.
   */
  private long deadline(long nowMillis) {
    long walkMillis = AePace.walkMillis((long) storage.size() * (1 + MAX_INCOMING));
    return nowMillis + config.aeSessionTimeoutMillis() + walkMillis;
  }

  private boolean hasOwnSession() {
    for (AeSession s : sessions.values()) {
      if (s.initiator) {
        return true;
      }
    }
    return false;
  }

  private void send(Address to, Message m) {
    outbox.send(to, Envelope.of(self, 0, m));
  }

  private long jittered() {
    long interval = config.aeIntervalMillis();
    return interval / 2 + random.nextLong(interval);
  }

  private static String key(Address peer, long id, boolean ours) {
    return peer + "#" + id + (ours ? "i" : "r");
  }
}
