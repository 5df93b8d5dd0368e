package io.quorumkv.common.wire;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Valid messages of every type, with the edge values the wire must carry: empty and full lists,
 * the extreme ports, numbers and request ids, every member state. Tests check that the table
 * covers every permitted subclass of {@link Message}, so a new message type cannot ship without
 * samples.
 */
final class WireSamples {

  static final Address LOW = Address.parse("a:0");
  static final Address HIGH = Address.parse("255.255.255.255:65535");
  static final Address NODE = Address.parse("127.0.0.1:7000");

  /** The wire name of every message type. Append-only: a shipped name never changes. */
  static final Map<Class<? extends Message>, String> WIRE_NAMES = wireNames();

  private WireSamples() {
  }

  /** Samples per message type, in {@link Message}'s permits order. */
  static Map<Class<? extends Message>, List<Message>> messagesByType() {
    Map<Class<? extends Message>, List<Message>> table = new LinkedHashMap<>();
    table.put(Ping.class, List.of(
        new Ping(NODE, List.of()),
        new Ping(LOW, updates(1, false)),
        new Ping(HIGH, updates(Limits.MAX_MEMBERS_PER_MESSAGE, true))));
    table.put(Ack.class, List.of(
        new Ack(List.of()),
        new Ack(updates(3, false)),
        new Ack(updates(Limits.MAX_MEMBERS_PER_MESSAGE, true))));
    table.put(PingReq.class, List.of(
        new PingReq(NODE, List.of()),
        new PingReq(HIGH, updates(Limits.MAX_MEMBERS_PER_MESSAGE, true))));
    table.put(Nack.class, List.of(
        new Nack(LOW, List.of()),
        new Nack(HIGH, updates(Limits.MAX_MEMBERS_PER_MESSAGE, true))));
    table.put(Gossip.class, List.of(
        new Gossip(List.of()),
        new Gossip(updates(4, false)),
        new Gossip(updates(Limits.MAX_MEMBERS_PER_MESSAGE, true))));
    table.put(SyncRequest.class, List.of(
        new SyncRequest(true, List.of()),
        new SyncRequest(false, updates(5, false)),
        new SyncRequest(true, updates(Limits.MAX_MEMBERS_PER_MESSAGE, true))));
    table.put(SyncReply.class, List.of(
        new SyncReply(List.of()),
        new SyncReply(updates(Limits.MAX_MEMBERS_PER_MESSAGE, true))));
    table.put(StatusRequest.class, List.of(new StatusRequest()));
    table.put(StatusReply.class, List.of(
        new StatusReply(NODE, List.of(), false, Map.of()),
        new StatusReply(LOW, statuses(4), true, counters(3)),
        new StatusReply(NODE, statuses(Limits.MAX_MEMBERS_PER_MESSAGE), true, Map.of()),
        new StatusReply(HIGH, List.of(), false, counters(StatusReply.MAX_COUNTERS))));
    Version v = new Version(0x0001_8f00_0000_0001L, NODE);
    String maxKey = "k".repeat(KvLimits.MAX_KEY_BYTES);
    String maxValue = "v".repeat(KvLimits.MAX_VALUE_BYTES);
    table.put(KvRequest.class, List.of(
        new KvRequest(KvOp.READ, "k", "", Consistency.QUORUM, 0),
        new KvRequest(KvOp.PUT, maxKey, maxValue, Consistency.ALL, KvLimits.MAX_TIMEOUT_MILLIS,
            Long.MAX_VALUE),
        new KvRequest(KvOp.CREATE, "\u00e9t\u00e9", "", Consistency.ONE, 5)));
    table.put(KvReply.class, List.of(
        new KvReply(KvStatus.OK, "value", v, ""),
        new KvReply(KvStatus.UNAVAILABLE, "", Version.ZERO, "quorum not reached"),
        new KvReply(KvStatus.OK, maxValue, v, "")));
    table.put(LocateRequest.class, List.of(new LocateRequest("k"), new LocateRequest(maxKey)));
    table.put(LocateReply.class, List.of(
        new LocateReply("k", List.of()), new LocateReply("k", List.of(LOW, NODE, HIGH))));
    table.put(ReplicaWrite.class, List.of(
        new ReplicaWrite(KvOp.DELETE, "k", "", v, LOW, 0),
        new ReplicaWrite(KvOp.UPDATE, maxKey, maxValue, v, HIGH, Long.MAX_VALUE)));
    table.put(ReplicaWriteReply.class, List.of(
        new ReplicaWriteReply(KvStatus.OK), new ReplicaWriteReply(KvStatus.NOT_FOUND)));
    table.put(ReplicaRead.class, List.of(new ReplicaRead("k", LOW, 7)));
    table.put(ReplicaReadReply.class, List.of(
        new ReplicaReadReply(KeyRecord.absent("k")),
        new ReplicaReadReply(new KeyRecord("k", maxValue, false, v))));
    table.put(Handoff.class, List.of(
        new Handoff(List.of(), true),
        new Handoff(List.of(new KeyRecord("a", "1", false, v), new KeyRecord("b", "", true, v)),
            false)));
    table.put(HandoffAck.class, List.of(new HandoffAck()));
    table.put(Offer.class, List.of(new Offer(List.of()),
        new Offer(List.of(new KeyVersion("a", v), new KeyVersion(maxKey, Version.ZERO)))));
    table.put(OfferReply.class, List.of(new OfferReply(List.of(), List.of()),
        new OfferReply(List.of("a"), List.of("b", "c"))));
    table.put(ReplicaCheck.class, List.of(
        new ReplicaCheck(KvOp.DELETE, "k", "", v, LOW, 0),
        new ReplicaCheck(KvOp.CREATE, maxKey, maxValue, v, HIGH, Long.MAX_VALUE)));
    table.put(ReplicaCommit.class, List.of(
        new ReplicaCommit(new KeyRecord("k", "", true, v), LOW, 0),
        new ReplicaCommit(new KeyRecord(maxKey, maxValue, false, v), HIGH, Long.MAX_VALUE)));
    List<Long> hashes = new ArrayList<>();
    for (int b = 0; b < AeDigest.BUCKETS; b++) {
      hashes.add(b % 2 == 0 ? 0L : Long.MIN_VALUE + b);
    }
    table.put(AeDigest.class, List.of(new AeDigest(0, true, 0, hashes),
        new AeDigest(Long.MAX_VALUE, false, HybridClock.MAX_PHYSICAL_MILLIS,
            java.util.Collections.nCopies(AeDigest.BUCKETS, -1L))));
    table.put(AeBucket.class, List.of(new AeBucket(1, true, 0, List.of(), true),
        new AeBucket(Long.MAX_VALUE, false, AeDigest.BUCKETS - 1,
            List.of(new KeyVersion("a", v), new KeyVersion(maxKey, Version.ZERO)), false)));
    return table;
  }

  /** Every sample inside envelopes that also vary sender, request id and its extremes. */
  static List<Envelope> envelopes() {
    List<Envelope> envelopes = new ArrayList<>();
    long[] requestIds = {0, 1, 4_294_967_296L, Long.MAX_VALUE};
    Address[] senders = {NODE, LOW, HIGH};
    int i = 0;
    for (List<Message> samples : messagesByType().values()) {
      for (Message message : samples) {
        envelopes.add(Envelope.of(senders[i % senders.length], requestIds[i % requestIds.length],
            message));
        // The longest envelope around every sample as well: it is the one that must still fit.
        envelopes.add(Envelope.of(HIGH, Long.MAX_VALUE, message));
        i++;
      }
    }
    return envelopes;
  }

  /**
   * {@code n} distinct member facts cycling through every state. The worst case uses the longest
   * IPv4 addresses and the largest numbers, so it encodes to the largest size an IPv4 cluster sees.
   */
  static List<MemberUpdate> updates(int n, boolean worstCase) {
    List<MemberUpdate> updates = new ArrayList<>(n);
    MemberState[] states = MemberState.values();
    for (int i = 0; i < n; i++) {
      MemberState state = states[i % states.length];
      if (worstCase) {
        updates.add(new MemberUpdate(new Address("255.255.255." + (100 + i), 65_535 - i),
            Long.MAX_VALUE - i, Long.MAX_VALUE, MemberState.SUSPECT));
      } else {
        updates.add(new MemberUpdate(new Address("10.0.0." + i, 7000 + i), i, i * 3L, state));
      }
    }
    return updates;
  }

  /** {@code n} realistic status rows: epoch-millisecond generations, small incarnations. */
  static List<MemberStatus> statuses(int n) {
    List<MemberStatus> rows = new ArrayList<>(n);
    MemberState[] states = MemberState.values();
    for (int i = 0; i < n; i++) {
      rows.add(new MemberStatus(new Address("127.0.0.1", 7000 + i), states[i % states.length],
          1_700_000_000_000L + i, i, i == 0 ? -1 : i * 10L));
    }
    return rows;
  }

  /** {@code n} counters with dotted names, including the extreme values. */
  static Map<String, Long> counters(int n) {
    Map<String, Long> counters = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      long value = i == 0 ? Long.MAX_VALUE : i == 1 ? Long.MIN_VALUE : i;
      counters.put("c." + i, value);
    }
    return counters;
  }

  private static Map<Class<? extends Message>, String> wireNames() {
    Map<Class<? extends Message>, String> names = new LinkedHashMap<>();
    names.put(Ping.class, "ping");
    names.put(Ack.class, "ack");
    names.put(PingReq.class, "ping-req");
    names.put(Nack.class, "nack");
    names.put(Gossip.class, "gossip");
    names.put(SyncRequest.class, "sync");
    names.put(SyncReply.class, "sync-reply");
    names.put(StatusRequest.class, "status");
    names.put(StatusReply.class, "status-reply");
    names.put(KvRequest.class, "kv");
    names.put(KvReply.class, "kv-reply");
    names.put(LocateRequest.class, "locate");
    names.put(LocateReply.class, "locate-reply");
    names.put(ReplicaWrite.class, "replica-write");
    names.put(ReplicaWriteReply.class, "replica-write-reply");
    names.put(ReplicaRead.class, "replica-read");
    names.put(ReplicaReadReply.class, "replica-read-reply");
    names.put(Handoff.class, "handoff");
    names.put(HandoffAck.class, "handoff-ack");
    names.put(Offer.class, "offer");
    names.put(OfferReply.class, "offer-reply");
    names.put(ReplicaCheck.class, "replica-check");
    names.put(ReplicaCommit.class, "replica-commit");
    names.put(AeDigest.class, "ae-digest");
    names.put(AeBucket.class, "ae-bucket");
    return names;
  }
}
