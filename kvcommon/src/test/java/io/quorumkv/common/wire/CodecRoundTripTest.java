package io.quorumkv.common.wire;

import io.quorumkv.common.time.Version;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message survives encode and decode unchanged, and the wire format stays what it was. */
class CodecRoundTripTest {

  private final Codec codec = new Codec();

  @Test
  void sampleTableCoversEveryPermittedSubclass() {
    Set<Class<?>> permitted = Set.of(Message.class.getPermittedSubclasses());
    Map<Class<? extends Message>, List<Message>> table = WireSamples.messagesByType();
    assertEquals(permitted, table.keySet(), "samples must cover exactly the sealed subtypes");
    table.forEach((type, samples) -> {
      assertFalse(samples.isEmpty(), type + " has no samples");
      samples.forEach(sample -> assertEquals(type, sample.getClass()));
    });
    assertEquals(permitted, WireSamples.WIRE_NAMES.keySet());
  }

  @Test
  void subtypeListOnMessageMatchesSealedPermitsAndWireNames() {
    // The sealed permits clause and the Jackson subtype list are written separately; a type
    // missing from either side would either not compile into a switch or not decode.
    Map<Class<?>, String> declared = new LinkedHashMap<>();
    for (JsonSubTypes.Type type : Message.class.getAnnotation(JsonSubTypes.class).value()) {
      assertEquals(null, declared.put(type.value(), type.name()), "listed twice: " + type.value());
    }
    assertEquals(WireSamples.WIRE_NAMES, declared);
    assertEquals(declared.size(), Set.copyOf(declared.values()).size(), "wire names are unique");
  }

  static Stream<Envelope> envelopes() {
    return WireSamples.envelopes().stream();
  }

  @ParameterizedTest
  @MethodSource("envelopes")
  void everyMessageRoundTripsInsideAnEnvelope(Envelope envelope) throws Exception {
    byte[] bytes = codec.encode(envelope);
    assertTrue(bytes.length <= Limits.MAX_DATAGRAM_BYTES);
    Decoded decoded = codec.decode(bytes);
    assertEquals(new Decoded.Ok(envelope), decoded);
    // The encoding is canonical: decoding and encoding again gives the same bytes.
    assertArrayEquals(bytes, codec.encode(((Decoded.Ok) decoded).envelope()));
    String type = new ObjectMapper().readTree(bytes).path("message").path("type").asText();
    assertEquals(WireSamples.WIRE_NAMES.get(envelope.message().getClass()), type);
  }

  @Test
  void decodedListsAndMapsAreImmutable() {
    Envelope sent = Envelope.of(WireSamples.NODE, 1,
        new StatusReply(WireSamples.NODE, WireSamples.statuses(2), false, Map.of("a.b", 1L)));
    StatusReply reply = (StatusReply) ok(codec.encode(sent)).message();
    assertThrows(UnsupportedOperationException.class, () -> reply.members().clear());
    assertThrows(UnsupportedOperationException.class, () -> reply.counters().clear());
  }

  @Test
  void recordsCopyTheirCollections() {
    Map<String, Long> counters = new HashMap<>(Map.of("a", 1L));
    StatusReply reply = new StatusReply(WireSamples.NODE, List.of(), false, counters);
    counters.put("b", 2L);
    assertEquals(Map.of("a", 1L), reply.counters());
  }

  /** Pins the exact bytes of each type, so a renamed field or type cannot slip through. */
  @Test
  void goldenEncodings() {
    String sender = "\"version\":1,\"sender\":\"127.0.0.1:7000\",\"requestId\":7,";
    String update = "{\"address\":\"10.0.0.1:7001\",\"generation\":1,\"incarnation\":3,"
        + "\"state\":\"suspect\"}";
    MemberUpdate fact = new MemberUpdate(Address.parse("10.0.0.1:7001"), 1, 3,
        MemberState.SUSPECT);
    Address target = Address.parse("h:1");
    Map<Message, String> golden = new LinkedHashMap<>();
    golden.put(new Ping(target, List.of(fact)),
        "{\"type\":\"ping\",\"target\":\"h:1\",\"gossip\":[" + update + "]}");
    golden.put(new Ack(List.of()), "{\"type\":\"ack\",\"gossip\":[]}");
    golden.put(new PingReq(target, List.of()),
        "{\"type\":\"ping-req\",\"target\":\"h:1\",\"gossip\":[]}");
    golden.put(new Nack(target, List.of()),
        "{\"type\":\"nack\",\"target\":\"h:1\",\"gossip\":[]}");
    golden.put(new Gossip(List.of(fact)), "{\"type\":\"gossip\",\"gossip\":[" + update + "]}");
    golden.put(new SyncRequest(true, List.of(fact)),
        "{\"type\":\"sync\",\"join\":true,\"members\":[" + update + "]}");
    golden.put(new SyncReply(List.of()), "{\"type\":\"sync-reply\",\"members\":[]}");
    golden.put(new StatusRequest(), "{\"type\":\"status\"}");
    golden.put(new StatusReply(target,
            List.of(new MemberStatus(target, MemberState.LEFT, 2, 0, -1)), true,
            Map.of("wire.received", 5L)),
        "{\"type\":\"status-reply\",\"node\":\"h:1\",\"members\":[{\"address\":\"h:1\","
            + "\"state\":\"left\",\"generation\":2,\"incarnation\":0,\"lastHeardMillisAgo\":-1}],"
            + "\"truncated\":true,\"counters\":{\"wire.received\":5}}");
    Version version = new Version(5, target);
    String v = "{\"timestamp\":5,\"writer\":\"h:1\"}";
    KeyRecord record = new KeyRecord("k", "v", false, version);
    String r = "{\"key\":\"k\",\"value\":\"v\",\"tombstone\":false,\"version\":" + v + "}";
    golden.put(new KvRequest(KvOp.PUT, "k", "v", Consistency.QUORUM, 0, 7),
        "{\"type\":\"kv\",\"op\":\"put\",\"key\":\"k\",\"value\":\"v\","
            + "\"consistency\":\"quorum\",\"timeoutMillis\":0,\"timestamp\":7}");
    golden.put(new KvReply(KvStatus.OK, "v", version, ""),
        "{\"type\":\"kv-reply\",\"status\":\"ok\",\"value\":\"v\",\"version\":" + v
            + ",\"reason\":\"\"}");
    golden.put(new LocateRequest("k"), "{\"type\":\"locate\",\"key\":\"k\"}");
    golden.put(new LocateReply("k", List.of(target)),
        "{\"type\":\"locate-reply\",\"key\":\"k\",\"replicas\":[\"h:1\"]}");
    golden.put(new ReplicaWrite(KvOp.CREATE, "k", "v", version, target, 9),
        "{\"type\":\"replica-write\",\"op\":\"create\",\"key\":\"k\",\"value\":\"v\","
            + "\"version\":" + v + ",\"client\":\"h:1\",\"clientRequestId\":9}");
    golden.put(new ReplicaWriteReply(KvStatus.NOT_FOUND),
        "{\"type\":\"replica-write-reply\",\"status\":\"not-found\"}");
    golden.put(new ReplicaRead("k", target, 9),
        "{\"type\":\"replica-read\",\"key\":\"k\",\"client\":\"h:1\",\"clientRequestId\":9}");
    golden.put(new ReplicaReadReply(record),
        "{\"type\":\"replica-read-reply\",\"record\":" + r + "}");
    golden.put(new Handoff(List.of(record), true),
        "{\"type\":\"handoff\",\"records\":[" + r + "],\"wantsAck\":true}");
    golden.put(new HandoffAck(), "{\"type\":\"handoff-ack\"}");
    golden.put(new Offer(List.of(new KeyVersion("k", version))),
        "{\"type\":\"offer\",\"entries\":[{\"key\":\"k\",\"version\":" + v + "}]}");
    golden.put(new OfferReply(List.of("k"), List.of()),
        "{\"type\":\"offer-reply\",\"want\":[\"k\"],\"later\":[]}");
    golden.put(new ReplicaCheck(KvOp.DELETE, "k", "", version, target, 9),
        "{\"type\":\"replica-check\",\"op\":\"delete\",\"key\":\"k\",\"value\":\"\","
            + "\"version\":" + v + ",\"client\":\"h:1\",\"clientRequestId\":9}");
    golden.put(new ReplicaCommit(record, target, 9),
        "{\"type\":\"replica-commit\",\"record\":" + r
            + ",\"client\":\"h:1\",\"clientRequestId\":9}");
    golden.put(new AeDigest(3, true, 1_700_000_000_000L,
        java.util.Collections.nCopies(AeDigest.BUCKETS, 0L)),
        "{\"type\":\"ae-digest\",\"session\":3,\"fromInitiator\":true,"
            + "\"stampedBeforeMillis\":1700000000000,\"hashes\":["
            + String.join(",", java.util.Collections.nCopies(AeDigest.BUCKETS, "0")) + "]}");
    golden.put(new AeBucket(3, false, 9, List.of(new KeyVersion("k", version)), true),
        "{\"type\":\"ae-bucket\",\"session\":3,\"fromInitiator\":false,\"bucket\":9,\"entries\":[{\"key\":\"k\","
            + "\"version\":" + v + "}],\"last\":true}");
    assertEquals(WireSamples.WIRE_NAMES.keySet(),
        golden.keySet().stream().map(Object::getClass).collect(Collectors.toSet()));
    golden.forEach((message, json) -> {
      String datagram = "{" + sender + "\"message\":" + json + "}";
      Envelope envelope = Envelope.of(WireSamples.NODE, 7, message);
      assertEquals(datagram, new String(codec.encode(envelope), StandardCharsets.UTF_8));
      assertEquals(envelope, ok(datagram.getBytes(StandardCharsets.UTF_8)));
    });
  }

  @Test
  void fieldOrderAndWhitespaceDoNotMatter() {
    String json = " {\n \"message\" : { \"gossip\" : [ ] ,\t\"target\":\"h:1\","
        + " \"type\":\"ping\" },"
        + "\"requestId\":0,\r\n\"sender\":\"a:0\", \"version\":1 }\n";
    assertEquals(Envelope.of(Address.parse("a:0"), 0, new Ping(Address.parse("h:1"), List.of())),
        ok(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void decodesOnlyTheGivenRangeOfABuffer() {
    Envelope envelope = Envelope.of(WireSamples.NODE, 9, new StatusRequest());
    byte[] bytes = codec.encode(envelope);
    byte[] buffer = new byte[bytes.length + 20];
    Arrays.fill(buffer, (byte) '}');
    System.arraycopy(bytes, 0, buffer, 7, bytes.length);
    assertEquals(new Decoded.Ok(envelope), codec.decode(buffer, 7, bytes.length));
  }

  @Test
  void datagramOfExactlyTheLimitIsAcceptedAndOneMoreByteIsNot() {
    byte[] bytes = codec.encode(Envelope.of(WireSamples.NODE, 3, new StatusRequest()));
    byte[] padded = Arrays.copyOf(bytes, Limits.MAX_DATAGRAM_BYTES);
    Arrays.fill(padded, bytes.length, padded.length, (byte) ' ');
    assertInstanceOf(Decoded.Ok.class, codec.decode(padded));
    byte[] over = Arrays.copyOf(padded, Limits.MAX_DATAGRAM_BYTES + 1);
    over[over.length - 1] = ' ';
    assertEquals(RejectReason.OVERSIZED, rejected(codec.decode(over)));
  }

  @Test
  void fullListOfWorstCaseIpv4UpdatesFitsTheLongestEnvelope() {
    // The claim Limits.MAX_MEMBERS_PER_MESSAGE documents: paging by it never overflows on IPv4.
    List<MemberUpdate> full = WireSamples.updates(Limits.MAX_MEMBERS_PER_MESSAGE, true);
    for (Message message : List.of(new PingReq(WireSamples.HIGH, full),
        new SyncRequest(false, full), new SyncReply(full))) {
      int size = codec.encode(Envelope.of(WireSamples.HIGH, Long.MAX_VALUE, message)).length;
      assertTrue(size <= Limits.MAX_DATAGRAM_BYTES, message.getClass() + " took " + size);
    }
  }

  @Test
  void encodingAMessageOverTheLimitThrows() {
    String longHost = "h".repeat(Address.MAX_HOST_LENGTH);
    List<MemberUpdate> bulky = WireSamples.updates(Limits.MAX_MEMBERS_PER_MESSAGE, false).stream()
        .map(u -> new MemberUpdate(new Address(longHost, u.address().port()), 0, 0,
            MemberState.ALIVE))
        .toList();
    OversizedMessageException gossip = assertThrows(OversizedMessageException.class,
        () -> codec.encode(Envelope.of(WireSamples.NODE, 1, new Gossip(bulky))));
    assertTrue(gossip.size() > Limits.MAX_DATAGRAM_BYTES);

    Map<String, Long> counters = new HashMap<>();
    for (int i = 0; i < StatusReply.MAX_COUNTERS; i++) {
      counters.put(i + ".".repeat(StatusReply.MAX_COUNTER_NAME_LENGTH - 4), Long.MAX_VALUE);
    }
    StatusReply reply = new StatusReply(WireSamples.NODE, List.of(), false, counters);
    OversizedMessageException status = assertThrows(OversizedMessageException.class,
        () -> codec.encode(Envelope.of(WireSamples.NODE, 1, reply)));
    assertTrue(status.size() > Limits.MAX_DATAGRAM_BYTES);
  }

  private Envelope ok(byte[] datagram) {
    Decoded decoded = codec.decode(datagram);
    assertInstanceOf(Decoded.Ok.class, decoded, () -> decoded.toString());
    return ((Decoded.Ok) decoded).envelope();
  }

  private static RejectReason rejected(Decoded decoded) {
    assertInstanceOf(Decoded.Rejected.class, decoded);
    return ((Decoded.Rejected) decoded).reason();
  }
}
