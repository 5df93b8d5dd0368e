package io.quorumkv.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorumkv.common.wire.Ack;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Gossip;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.Ping;
import io.quorumkv.common.wire.ReplicaWriteReply;
import io.quorumkv.common.wire.SyncRequest;
import io.quorumkv.node.Counters;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which queued datagrams may leave before the storage's sync: membership ones only, in order. */
class OutboxTest {

  private static final Codec CODEC = new Codec();
  private static final Address SELF = new Address("127.0.0.1", 7001);

  private static Address to(int port) {
    return new Address("127.0.0.1", port);
  }

  private static void send(Outbox outbox, int port, Message message) {
    outbox.send(to(port), Envelope.of(SELF, port, message));
  }

  @Test
  void membershipDatagramsLeaveBeforeTheSyncAndTheRestWaitInOrder() {
    Outbox outbox = new Outbox(CODEC, new Counters(), 16);
    send(outbox, 1, new ReplicaWriteReply(KvStatus.OK)); // acknowledges a write
    send(outbox, 2, new Ack(List.of()));
    send(outbox, 3, new ReplicaWriteReply(KvStatus.OK));
    send(outbox, 4, new Ping(to(9), List.of()));
    send(outbox, 5, new Gossip(List.of()));
    send(outbox, 6, new SyncRequest(false, List.of()));

    assertEquals(List.of(2, 4, 5, 6), ports(outbox.drainSyncFree()));
    assertEquals(2, outbox.size());
    assertEquals(List.of(), outbox.drainSyncFree(), "nothing more may leave early");
    assertEquals(List.of(1, 3), ports(outbox.drain()), "after the sync, the rest, in order");
    assertEquals(0, outbox.size());
  }

  @Test
  void drainStillSendsEverythingInTheOrderAsked() {
    Outbox outbox = new Outbox(CODEC, new Counters(), 16);
    send(outbox, 1, new Ack(List.of()));
    send(outbox, 2, new ReplicaWriteReply(KvStatus.OK));
    send(outbox, 3, new Gossip(List.of()));
    assertEquals(List.of(1, 2, 3), ports(outbox.drain()));
  }

  private static List<Integer> ports(List<Outbox.Datagram> datagrams) {
    return datagrams.stream().map(d -> d.to().port()).toList();
  }
}
