package io.quorumkv.node.kv;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.AeBucket;
import io.quorumkv.common.wire.AeDigest;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KeyVersion;
import io.quorumkv.common.wire.Message;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One anti-entropy exchange with one peer, on either side. States, in order:
 *
 * <ol>
 *   <li>{@link Phase#HASH}: walk the store a page per tick, hashing the compared records shared
 *       with the peer into {@link AeDigest#BUCKETS} buckets; then send the digest.
 *   <li>{@link Phase#AWAIT}: wait for the peer's digest (the initiator only; the responder has it
 *       from the start). Equal digests end the session.
 *   <li>{@link Phase#COLLECT}: walk the store again, keeping the (key, version) entries of the
 *       buckets that differ, of every record (at most a bounded number); then send them.
 *   <li>{@link Phase#EXCHANGE}: as each of the peer's differing buckets arrives whole, push every
 *       record of it that we hold newer or that the peer lacks. Done when all are compared.
 * </ol>
 *
 * Both sides run the same steps, so each pushes what it holds newer: no pulls are needed.
 *
 * <p>One cutoff for both sides, {@link #stampedBeforeMillis}: the initiator's start, which its
 * digest carries to the responder. The digests hash only records stamped before it
 * ({@link #compares}), and only those are pushed. The two walks are seconds apart, and under
 * write load (10,000 writes a second in the bench) a key first written between them was hashed
 * by one side and not the other, so its bucket differed and the session walked again.
 *
 * <p>The entries of a differing bucket list every record, those stamped since the cutoff too:
 * a side that holds a key newer than the cutoff must say so, or the other side, holding a
 * version from before it, would take the key for missing and push that older version (which
 * the merge refuses), in every session until the cutoff passes the newer stamp. Nor can the
 * cutoff hide a key overwritten between the two sides' visits: a store keeps only the newest
 * version, so one side hashes the old one, the other skips the new one, and the bucket differs.
 * Under a load of overwrites (the bench's, once its keys exist) most buckets still differ.
 */
final class AeSession {

  enum Phase { HASH, AWAIT, COLLECT, EXCHANGE, DONE }

  final Address peer;
  final long id;
  final boolean initiator;
  /**
   * The cutoff, in physical milliseconds: when the initiator began the session, by its clock.
   * Records stamped at or after it are neither hashed nor pushed (they are listed).
   */
  final long stampedBeforeMillis;
  /** When the session is given up; moved on whenever our side finishes a walk. */
  long deadlineMillis;
  Phase phase = Phase.HASH;
  /** Scan cursor: the last key walked, null before the first. */
  String cursor;
  final long[] mine = new long[AeDigest.BUCKETS];
  long[] theirs;
  /** The initiator's digest, kept by the responder until its own is computed. */
  List<Long> peerDigest;
  final BitSet differing = new BitSet(AeDigest.BUCKETS);
  final Map<Integer, List<KeyVersion>> myEntries = new TreeMap<>();
  final Map<Integer, List<KeyVersion>> theirEntries = new TreeMap<>();
  final BitSet theirsComplete = new BitSet(AeDigest.BUCKETS);
  final BitSet compared = new BitSet(AeDigest.BUCKETS);
  int collected;
  /**
   * Set when the collect walk left out an entry of ours ({@code aeMaxKeysPerSession}): what was
   * left out was not compared, so the session proves nothing to {@link Reconciliation}.
   */
  boolean truncated;
  /** The physical stamp of the oldest record this side decided to push (not yet proved held). */
  long oldestPushedMillis = Long.MAX_VALUE;

  AeSession(Address peer, long id, boolean initiator, long stampedBeforeMillis,
      long deadlineMillis) {
    this.peer = peer;
    this.id = id;
    this.initiator = initiator;
    this.stampedBeforeMillis = stampedBeforeMillis;
    this.deadlineMillis = deadlineMillis;
  }

  /** Whether a record of {@code version} takes part in this session: stamped before the cutoff. */
  boolean compares(Version version) {
    return HybridClock.physicalMillis(version.timestamp()) < stampedBeforeMillis;
  }

  /** The peer's digest arrived: note which buckets differ; true if any does. */
  boolean compare(List<Long> peerHashes) {
    theirs = new long[AeDigest.BUCKETS];
    for (int b = 0; b < AeDigest.BUCKETS; b++) {
      theirs[b] = peerHashes.get(b);
      if (theirs[b] != mine[b]) {
        differing.set(b);
      }
    }
    return !differing.isEmpty();
  }

  /** The digest to send: our bucket hashes. */
  List<Long> digest() {
    List<Long> out = new ArrayList<>(AeDigest.BUCKETS);
    for (long h : mine) {
      out.add(h);
    }
    return out;
  }

  /** A chunk of the peer's entries of {@code bucket}; ignored for a bucket that did not differ. */
  void receive(int bucket, List<KeyVersion> entries, boolean last) {
    if (!differing.get(bucket) || theirsComplete.get(bucket)) {
      return;
    }
    theirEntries.computeIfAbsent(bucket, b -> new ArrayList<>()).addAll(entries);
    if (last) {
      theirsComplete.set(bucket);
    }
  }

  /**
   * The keys of {@code bucket} to push to the peer: ours that it lacks or holds older, as
   * {@code current} reads them now, and stamped before the cutoff. Marks the bucket compared.
   *
   * <p>A record stamped since the cutoff is still its coordinator's to deliver (resent until the
   * deadline, then a hint): under bench load sessions used to push about 340 such records a
   * second that the peer already held. A later session repairs it if it did go missing; a
   * writer's clock ahead of the initiator's (by at most
   * {@link io.quorumkv.node.KvConfig#maxClockDriftMillis()}) only delays that by as much.
   */
  List<String> toPush(int bucket, java.util.function.Function<String, KeyRecord> current) {
    compared.set(bucket);
    Map<String, Version> peerHas = new TreeMap<>();
    for (KeyVersion e : theirEntries.getOrDefault(bucket, List.of())) {
      peerHas.put(e.key(), e.version());
    }
    List<String> out = new ArrayList<>();
    for (KeyVersion e : myEntries.getOrDefault(bucket, List.of())) {
      Version theirsOf = peerHas.get(e.key());
      Version now = current.apply(e.key()).version();
      if ((theirsOf == null || now.compareTo(theirsOf) > 0) && compares(now)) {
        out.add(e.key());
        oldestPushedMillis = Math.min(oldestPushedMillis,
            HybridClock.physicalMillis(now.timestamp()));
      }
    }
    return out;
  }

  /** Buckets whose peer entries are complete and that we have not compared yet. */
  List<Integer> readyToCompare() {
    List<Integer> out = new ArrayList<>();
    for (int b = theirsComplete.nextSetBit(0); b >= 0; b = theirsComplete.nextSetBit(b + 1)) {
      if (!compared.get(b)) {
        out.add(b);
      }
    }
    return out;
  }

  boolean allCompared() {
    return compared.equals(differing);
  }

  /** What this session, ended complete, proves: before which time the peer holds our records. */
  long provedBeforeMillis() {
    return Math.min(stampedBeforeMillis, oldestPushedMillis);
  }

  /**
   * Our entries of every differing bucket as messages to the peer: in chunks that {@code fits}
   * a datagram (halved until they do), each bucket's last chunk marked, an empty bucket as one
   * empty last chunk so the peer knows it complete.
   */
  List<AeBucket> entryMessages(Predicate<Message> fits) {
    List<AeBucket> out = new ArrayList<>();
    for (int b = differing.nextSetBit(0); b >= 0; b = differing.nextSetBit(b + 1)) {
      List<KeyVersion> entries = myEntries.getOrDefault(b, List.of());
      int from = 0;
      do {
        int to = Math.min(entries.size(), from + AeBucket.MAX_ENTRIES);
        while (to > from + 1
            && !fits.test(new AeBucket(id, initiator, b, entries.subList(from, to), false))) {
          to = from + (to - from) / 2;
        }
        out.add(new AeBucket(id, initiator, b, entries.subList(from, to), to == entries.size()));
        from = to;
      } while (from < entries.size());
    }
    return out;
  }
}
