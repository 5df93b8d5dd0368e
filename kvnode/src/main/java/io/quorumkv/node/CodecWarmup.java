package io.quorumkv.node;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Ack;
import io.quorumkv.common.wire.AeBucket;
import io.quorumkv.common.wire.AeDigest;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Gossip;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.HandoffAck;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KeyVersion;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.LocateReply;
import io.quorumkv.common.wire.LocateRequest;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.Nack;
import io.quorumkv.common.wire.Offer;
import io.quorumkv.common.wire.OfferReply;
import io.quorumkv.common.wire.Ping;
import io.quorumkv.common.wire.PingReq;
import io.quorumkv.common.wire.ReplicaCheck;
import io.quorumkv.common.wire.ReplicaCommit;
import io.quorumkv.common.wire.ReplicaRead;
import io.quorumkv.common.wire.ReplicaReadReply;
import io.quorumkv.common.wire.ReplicaWrite;
import io.quorumkv.common.wire.ReplicaWriteReply;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.common.wire.StatusRequest;
import io.quorumkv.common.wire.SyncReply;
import io.quorumkv.common.wire.SyncRequest;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes one message of every type before a node joins. Jackson builds its
 * serializers and deserializers on first use, which costs a loaded JVM hundreds of milliseconds
 * per type; paid on the first datagrams after joining, that stall makes a new node miss its probe
 * deadlines and be declared dead by everyone. Paid here, before the socket is even bound, it
 * only delays the start.
 */
final class CodecWarmup {

  private CodecWarmup() {
  }

  /** One sample of every message type; a test checks that none is missing. */
  static List<Message> samples() {
    Address a = new Address("127.0.0.1", 1);
    Version v = new Version(1, a);
    MemberUpdate u = new MemberUpdate(a, 1, 0, MemberState.ALIVE);
    KeyRecord r = new KeyRecord("k", "v", false, v);
    return List.of(
        new Ping(a, List.of(u)), new Ack(List.of(u)), new PingReq(a, List.of(u)),
        new Nack(a, List.of(u)), new Gossip(List.of(u)), new SyncRequest(true, List.of(u)),
        new SyncReply(List.of(u)), new StatusRequest(),
        new StatusReply(a, List.of(new MemberStatus(a, MemberState.ALIVE, 1, 0, -1)), false,
            Map.of("a", 1L)),
        new KvRequest(KvOp.PUT, "k", "v", Consistency.QUORUM, 0),
        new KvReply(KvStatus.OK, "v", v, ""), new LocateRequest("k"),
        new LocateReply("k", List.of(a)), new ReplicaWrite(KvOp.PUT, "k", "v", v, a, 1),
        new ReplicaWriteReply(KvStatus.OK), new ReplicaRead("k", a, 1),
        new ReplicaReadReply(r), new Handoff(List.of(r), true), new HandoffAck(),
        new Offer(List.of(new KeyVersion("k", v))), new OfferReply(List.of("k"), List.of()),
        new ReplicaCheck(KvOp.UPDATE, "k", "v", v, a, 1), new ReplicaCommit(r, a, 1),
        new AeDigest(1, true, 1, java.util.Collections.nCopies(AeDigest.BUCKETS, 1L)),
        new AeBucket(1, false, 0, List.of(new KeyVersion("k", v)), true));
  }

  /** Round-trips every sample through {@code codec}; returns how many decoded back equal. */
  static int run(Codec codec) {
    int ok = 0;
    Address a = new Address("127.0.0.1", 1);
    for (Message m : samples()) {
      Envelope e = Envelope.of(a, 1, m);
      if (codec.decode(codec.encode(e)).equals(new io.quorumkv.common.wire.Decoded.Ok(e))) {
        ok++;
      }
    }
    return ok;
  }
}
