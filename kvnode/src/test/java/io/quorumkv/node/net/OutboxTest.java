package io.quorumkv.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Ack;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Bundle;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Gossip;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.Ping;
import io.quorumkv.common.wire.ReplicaWrite;
import io.quorumkv.common.wire.ReplicaWriteReply;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.common.wire.SyncRequest;
import io.quorumkv.node.Counters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which queued datagrams may leave before the storage's sync (membership ones only, in order),
 * and which share a datagram (the replica protocol's, per peer, and a bundling client's answers).
 */
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

  /** A coordinator's one envelope to each replica of a key is encoded once, not per replica. */
  @Test
  void oneEnvelopeSentToSeveralPeersIsEncodedOnceAndDecodesAsSent() {
    Outbox outbox = new Outbox(CODEC, new Counters(), 16);
    Envelope write = Envelope.of(SELF, 5, new ReplicaWriteReply(KvStatus.OK));
    outbox.send(to(1), write);
    outbox.send(to(2), write);
    outbox.send(to(3), Envelope.of(SELF, 5, new ReplicaWriteReply(KvStatus.OK)));

    List<Outbox.Datagram> sent = outbox.drain();
    assertEquals(List.of(1, 2, 3), ports(sent));
    assertSame(sent.get(0).bytes(), sent.get(1).bytes());
    for (Outbox.Datagram d : sent) {
      assertEquals(write, ((Decoded.Ok) CODEC.decode(d.bytes(), 0, d.bytes().length)).envelope());
    }
  }

  @Test
  void drainStillSendsEverythingInTheOrderAsked() {
    Outbox outbox = new Outbox(CODEC, new Counters(), 16);
    send(outbox, 1, new Ack(List.of()));
    send(outbox, 2, new ReplicaWriteReply(KvStatus.OK));
    send(outbox, 3, new Gossip(List.of()));
    assertEquals(List.of(1, 2, 3), ports(outbox.drain()));
  }

  @Test
  void replicaMessagesToOnePeerShareADatagramAndEverythingElseGoesAlone() {
    Counters counters = new Counters();
    Outbox outbox = new Outbox(CODEC, counters, 64);
    Envelope first = Envelope.of(SELF, 11, new ReplicaWriteReply(KvStatus.OK));
    Envelope second = Envelope.of(SELF, 12, new ReplicaWriteReply(KvStatus.NOT_FOUND));
    outbox.send(to(2), first);
    send(outbox, 3, new ReplicaWriteReply(KvStatus.OK));
    send(outbox, 4, new Ack(List.of()));
    outbox.send(to(2), second);
    send(outbox, 5, new KvReply(KvStatus.OK, "v", Version.ZERO, "")); // to a client
    send(outbox, 5, new KvReply(KvStatus.OK, "w", Version.ZERO, ""));

    List<Outbox.Datagram> out = outbox.drainBundled();
    assertEquals(List.of(2, 3, 4, 5, 5), ports(out), "a bundle takes its first message's place");
    byte[] bundle = out.get(0).bytes();
    assertTrue(Bundle.isBundle(bundle, 0, bundle.length));
    List<Envelope> parts = new ArrayList<>();
    assertEquals(2, Bundle.forEachPart(bundle, 0, bundle.length,
        (b, o, n) -> parts.add(((Decoded.Ok) CODEC.decode(b, o, n)).envelope())));
    assertEquals(List.of(first, second), parts, "in the order sent");
    assertTrue(CODEC.decode(out.get(1).bytes()) instanceof Decoded.Ok, "a bundle of one is plain");
    assertEquals(1, counters.get("outbox.bundles"));
    assertEquals(2, counters.get("outbox.bundled"));
    assertEquals(0, outbox.size());
  }

  /** Answers to a client share a datagram once it has sent a bundle itself, and only then. */
  @Test
  void answersShareADatagramOnlyToAClientThatSentABundle() {
    Counters counters = new Counters();
    Outbox outbox = new Outbox(CODEC, counters, 64);
    KvReply answer = new KvReply(KvStatus.OK, "v", Version.ZERO, "");
    send(outbox, 5, answer);
    outbox.heardBundleFrom(to(5)); // before the drain: known when the datagrams leave
    send(outbox, 6, answer);
    send(outbox, 5, answer);
    send(outbox, 6, answer);
    send(outbox, 5, new StatusReply(SELF, List.of(), false, Map.of())); // not a key's answer

    List<Outbox.Datagram> out = outbox.drainBundled();
    assertEquals(List.of(5, 6, 6, 5), ports(out));
    byte[] bundle = out.get(0).bytes();
    assertEquals(2, Bundle.forEachPart(bundle, 0, bundle.length, (b, o, n) -> { }));
    assertTrue(CODEC.decode(out.get(1).bytes()) instanceof Decoded.Ok, "6 sent no bundle");
    assertTrue(CODEC.decode(out.get(3).bytes()) instanceof Decoded.Ok);
    assertEquals(1, counters.get("outbox.answer-bundles"));
  }

  @Test
  void bundleSpeakersForgetTheLeastRecentlyHeardBeyondTheirBound() {
    BundleSpeakers speakers = new BundleSpeakers();
    for (int i = 0; i <= BundleSpeakers.CAPACITY; i++) {
      speakers.heard(to(10_000 + i));
      if (i == 1) {
        speakers.heard(to(10_000)); // heard again: now the second oldest
      }
    }
    assertEquals(BundleSpeakers.CAPACITY, speakers.size());
    assertTrue(speakers.speaks(to(10_000)));
    assertFalse(speakers.speaks(to(10_001)), "the least recently heard went first");
    assertTrue(speakers.speaks(to(10_000 + BundleSpeakers.CAPACITY)));
  }

  @Test
  void aBundleNeverExceedsADatagram() {
    Outbox outbox = new Outbox(CODEC, new Counters(), 256);
    String value = "x".repeat(1000);
    int messages = 40;
    for (int i = 0; i < messages; i++) {
      outbox.send(to(2), Envelope.of(SELF, i, new ReplicaWrite(KvOp.PUT, "k" + i, value,
          new Version(1, SELF), SELF, i)));
    }
    List<Outbox.Datagram> out = outbox.drainBundled();
    int parts = 0;
    for (Outbox.Datagram d : out) {
      assertTrue(d.bytes().length <= Limits.MAX_DATAGRAM_BYTES, d.bytes().length + " bytes");
      parts += Bundle.forEachPart(d.bytes(), 0, d.bytes().length, (b, o, n) -> { });
    }
    assertEquals(messages, parts);
    assertTrue(out.size() >= messages * 1000 / Limits.MAX_DATAGRAM_BYTES, "split: " + out.size());
  }

  private static List<Integer> ports(List<Outbox.Datagram> datagrams) {
    return datagrams.stream().map(d -> d.to().port()).toList();
  }
}
