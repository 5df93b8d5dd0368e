package io.quorumkv.common.wire;

import static io.quorumkv.common.wire.Datagrams.STATUS_REPLY;
import static io.quorumkv.common.wire.Datagrams.SYNC;
import static io.quorumkv.common.wire.Datagrams.UPDATE;
import static io.quorumkv.common.wire.Datagrams.VALID;
import static io.quorumkv.common.wire.Datagrams.envelope;
import static io.quorumkv.common.wire.Datagrams.with;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.HybridClock;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Well-formed JSON of the current version and a known type whose fields are missing, null, of the
 * wrong JSON type, unknown, or out of range: all {@code INVALID_FIELDS}. Jackson would coerce
 * several of these by default ("5" to 5, 1.5 to 1, 1 to true), so each coercion has a case.
 */
class CodecFieldRejectTest {

  private static final String STATUS = envelope(STATUS_REPLY);
  private static final String SYNC_DATAGRAM = envelope(SYNC);
  private static final String DIGEST = envelope("{\"type\":\"ae-digest\",\"session\":1,"
      + "\"fromInitiator\":true,\"stampedBeforeMillis\":5,\"hashes\":["
      + String.join(",", Collections.nCopies(AeDigest.BUCKETS, "0")) + "]}");

  private final Codec codec = new Codec();

  @TestFactory
  Stream<DynamicTest> wrongJsonTypes() {
    Map<String, String> corpus = new LinkedHashMap<>();
    String id = "\"requestId\":7";
    corpus.put("string for long", with(VALID, id, "\"requestId\":\"7\""));
    corpus.put("empty string for long", with(VALID, id, "\"requestId\":\"\""));
    corpus.put("float for long", with(VALID, id, "\"requestId\":7.5"));
    corpus.put("integral float for long", with(VALID, id, "\"requestId\":7.0"));
    corpus.put("exponent for long", with(VALID, id, "\"requestId\":7e0"));
    corpus.put("boolean for long", with(VALID, id, "\"requestId\":true"));
    corpus.put("list for long", with(VALID, id, "\"requestId\":[7]"));
    corpus.put("object for long", with(VALID, id, "\"requestId\":{}"));
    corpus.put("long overflow", with(VALID, id, "\"requestId\":9223372036854775808"));
    corpus.put("string for generation", with(VALID, "\"generation\":1", "\"generation\":\"1\""));
    corpus.put("float for incarnation", with(VALID, "\"incarnation\":3", "\"incarnation\":3.5"));
    corpus.put("boolean for incarnation",
        with(VALID, "\"incarnation\":3", "\"incarnation\":false"));
    corpus.put("number for address",
        with(VALID, "\"sender\":\"127.0.0.1:7000\"", "\"sender\":7000"));
    corpus.put("object for address", with(VALID, "\"target\":\"h:1\"",
        "\"target\":{\"host\":\"h\",\"port\":1}"));
    corpus.put("list for address", with(VALID, "\"target\":\"h:1\"", "\"target\":[\"h:1\"]"));
    corpus.put("boolean for address", with(VALID, "\"target\":\"h:1\"", "\"target\":true"));
    corpus.put("object for list",
        with(VALID, "\"gossip\":[" + UPDATE + "]", "\"gossip\":" + UPDATE));
    corpus.put("string for list", with(VALID, "\"gossip\":[" + UPDATE + "]", "\"gossip\":\"x\""));
    corpus.put("empty string for list",
        with(VALID, "\"gossip\":[" + UPDATE + "]", "\"gossip\":\"\""));
    corpus.put("number in list", with(VALID, "\"gossip\":[" + UPDATE + "]", "\"gossip\":[1]"));
    corpus.put("list in list", with(VALID, "\"gossip\":[" + UPDATE + "]", "\"gossip\":[[]]"));
    corpus.put("number for state", with(VALID, "\"state\":\"suspect\"", "\"state\":1"));
    corpus.put("enum constant name for state",
        with(VALID, "\"state\":\"suspect\"", "\"state\":\"SUSPECT\""));
    corpus.put("unknown state", with(VALID, "\"state\":\"suspect\"", "\"state\":\"zombie\""));
    corpus.put("empty state", with(VALID, "\"state\":\"suspect\"", "\"state\":\"\""));
    corpus.put("int for boolean", with(SYNC_DATAGRAM, "\"join\":true", "\"join\":1"));
    corpus.put("string for boolean", with(SYNC_DATAGRAM, "\"join\":true", "\"join\":\"true\""));
    corpus.put("boolean for long", with(VALID, "\"generation\":1", "\"generation\":true"));
    corpus.put("list for map", with(STATUS, "{\"wire.received\":5}", "[5]"));
    corpus.put("string counter value",
        with(STATUS, "\"wire.received\":5", "\"wire.received\":\"5\""));
    corpus.put("float counter value", with(STATUS, "\"wire.received\":5", "\"wire.received\":5.5"));
    corpus.put("object counter value", with(STATUS, "\"wire.received\":5", "\"wire.received\":{}"));
    corpus.put("string for truncated",
        with(STATUS, "\"truncated\":true", "\"truncated\":\"true\""));
    corpus.put("string for lastHeard", with(STATUS, "\"lastHeardMillisAgo\":-1",
        "\"lastHeardMillisAgo\":\"-1\""));
    return Datagrams.rejections(codec, RejectReason.INVALID_FIELDS, corpus);
  }

  @TestFactory
  Stream<DynamicTest> missingNullAndUnknownFields() {
    Map<String, String> corpus = new LinkedHashMap<>();
    corpus.put("sender missing", with(VALID, "\"sender\":\"127.0.0.1:7000\",", ""));
    corpus.put("requestId missing", with(VALID, "\"requestId\":7,", ""));
    corpus.put("target missing", with(VALID, "\"target\":\"h:1\",", ""));
    corpus.put("gossip missing", with(VALID, ",\"gossip\":[" + UPDATE + "]", ""));
    corpus.put("address missing", with(VALID, "\"address\":\"10.0.0.1:7001\",", ""));
    corpus.put("generation missing", with(VALID, "\"generation\":1,", ""));
    corpus.put("incarnation missing", with(VALID, "\"incarnation\":3,", ""));
    corpus.put("state missing", with(VALID, ",\"state\":\"suspect\"", ""));
    corpus.put("join missing", with(SYNC_DATAGRAM, "\"join\":true,", ""));
    corpus.put("truncated missing", with(STATUS, "\"truncated\":true,", ""));
    corpus.put("counters missing", with(STATUS, ",\"counters\":{\"wire.received\":5}", ""));
    corpus.put("lastHeard missing", with(STATUS, ",\"lastHeardMillisAgo\":-1", ""));
    // as a node from before the cutoff was on the wire sends its digest
    corpus.put("cutoff missing", with(DIGEST, "\"stampedBeforeMillis\":5,", ""));
    corpus.put("sender null", with(VALID, "\"sender\":\"127.0.0.1:7000\"", "\"sender\":null"));
    corpus.put("requestId null", with(VALID, "\"requestId\":7", "\"requestId\":null"));
    corpus.put("target null", with(VALID, "\"target\":\"h:1\"", "\"target\":null"));
    corpus.put("gossip null", with(VALID, "\"gossip\":[" + UPDATE + "]", "\"gossip\":null"));
    corpus.put("null in list", with(VALID, "\"gossip\":[" + UPDATE + "]", "\"gossip\":[null]"));
    corpus.put("generation null", with(VALID, "\"generation\":1", "\"generation\":null"));
    corpus.put("state null", with(VALID, "\"state\":\"suspect\"", "\"state\":null"));
    corpus.put("join null", with(SYNC_DATAGRAM, "\"join\":true", "\"join\":null"));
    corpus.put("counters null", with(STATUS, "{\"wire.received\":5}", "null"));
    corpus.put("counter value null", with(STATUS, "\"wire.received\":5", "\"wire.received\":null"));
    corpus.put("unknown envelope field",
        with(VALID, "\"requestId\":7,", "\"requestId\":7,\"extra\":0,"));
    corpus.put("unknown message field",
        with(VALID, "\"target\":\"h:1\",", "\"target\":\"h:1\",\"ttl\":3,"));
    corpus.put("unknown update field",
        with(VALID, "\"generation\":1,", "\"generation\":1,\"x\":null,"));
    corpus.put("type inside an update",
        with(VALID, "\"generation\":1,", "\"generation\":1,\"type\":\"ping\","));
    corpus.put("field on the empty status message",
        envelope("{\"type\":\"status\",\"verbose\":true}"));
    corpus.put("field of another message type",
        envelope("{\"type\":\"ack\",\"target\":\"h:1\",\"gossip\":[]}"));
    corpus.put("Jackson class hint", with(VALID, "\"target\":\"h:1\",",
        "\"target\":\"h:1\",\"@class\":\"java.lang.ProcessBuilder\","));
    return Datagrams.rejections(codec, RejectReason.INVALID_FIELDS, corpus);
  }

  @TestFactory
  Stream<DynamicTest> invalidValues() {
    Map<String, String> corpus = new LinkedHashMap<>();
    for (String address : List.of("nohost", "a:b", "h:70000", "h:65536", "", ":80", "h:", ":",
        "host with spaces:80", " h:80", "h:80 ", "h:-1", "h:+80", "h:080", "h:00", "h:1:2",
        "[::1]:80", "::1", "h\\u0000:80", "h\\ud800:80", "h\\n:80", "caf\u00e9:80",
        "h:\u0668\u0660", "h:123456", "h".repeat(Address.MAX_HOST_LENGTH + 1) + ":1")) {
      corpus.put("address '" + address.substring(0, Math.min(address.length(), 24)) + "'",
          with(VALID, "\"target\":\"h:1\"", "\"target\":\"" + address + "\""));
    }
    corpus.put("negative request id", with(VALID, "\"requestId\":7", "\"requestId\":-7"));
    corpus.put("smallest request id", with(VALID, "\"requestId\":7",
        "\"requestId\":-9223372036854775808"));
    corpus.put("negative generation", with(VALID, "\"generation\":1", "\"generation\":-1"));
    corpus.put("negative incarnation", with(VALID, "\"incarnation\":3", "\"incarnation\":-3"));
    corpus.put("negative status generation", with(STATUS, "\"generation\":2", "\"generation\":-2"));
    corpus.put("negative status incarnation",
        with(STATUS, "\"incarnation\":0", "\"incarnation\":-1"));
    corpus.put("negative cutoff",
        with(DIGEST, "\"stampedBeforeMillis\":5", "\"stampedBeforeMillis\":-5"));
    corpus.put("cutoff past the hybrid clock's range", with(DIGEST, "\"stampedBeforeMillis\":5",
        "\"stampedBeforeMillis\":" + (HybridClock.MAX_PHYSICAL_MILLIS + 1)));
    corpus.put("lastHeard below -1",
        with(STATUS, "\"lastHeardMillisAgo\":-1", "\"lastHeardMillisAgo\":-2"));
    for (String name : List.of("", " ", "a b", "tab\\t", "nul\\u0000", "\\ud800", "caf\u00e9",
        "x".repeat(StatusReply.MAX_COUNTER_NAME_LENGTH + 1))) {
      corpus.put("counter name '" + name.substring(0, Math.min(name.length(), 24)) + "'",
          with(STATUS, "\"wire.received\"", "\"" + name + "\""));
    }
    corpus.put("gossip list one over the limit",
        with(VALID, "[" + UPDATE + "]",
            "[" + smallUpdates(Limits.MAX_MEMBERS_PER_MESSAGE + 1) + "]"));
    corpus.put("sync list one over the limit",
        with(SYNC_DATAGRAM, "[]", "[" + smallUpdates(Limits.MAX_MEMBERS_PER_MESSAGE + 1) + "]"));
    corpus.put("status list one over the limit",
        with(STATUS, "[" + Datagrams.STATUS_ROW + "]",
            "[" + String.join(",", Collections.nCopies(Limits.MAX_MEMBERS_PER_MESSAGE + 1,
                Datagrams.STATUS_ROW)) + "]"));
    StringBuilder counters = new StringBuilder();
    for (int i = 0; i <= StatusReply.MAX_COUNTERS; i++) {
      counters.append(i == 0 ? "" : ",").append("\"c").append(i).append("\":0");
    }
    corpus.put("one counter over the limit",
        with(STATUS, "{\"wire.received\":5}", "{" + counters + "}"));
    return Datagrams.rejections(codec, RejectReason.INVALID_FIELDS, corpus);
  }

  /** Guards the digest cases above: they fail on the field they edit, not on the rest. */
  @Test
  void theDigestTheCasesEditDecodes() {
    assertInstanceOf(Decoded.Ok.class, codec.decode(Datagrams.utf8(DIGEST)));
  }

  @Test
  void listsAtTheLimitAreAcceptedWhereOneMoreIsNot() {
    String full = "[" + smallUpdates(Limits.MAX_MEMBERS_PER_MESSAGE) + "]";
    assertInstanceOf(Decoded.Ok.class,
        codec.decode(Datagrams.utf8(with(VALID, "[" + UPDATE + "]", full))));
  }

  @Test
  void recordsRefuseOutOfRangeValuesDirectly() {
    List<MemberUpdate> tooMany = WireSamples.updates(Limits.MAX_MEMBERS_PER_MESSAGE + 1, false);
    Address a = WireSamples.NODE;
    assertThrows(IllegalArgumentException.class, () -> new Gossip(tooMany));
    assertThrows(IllegalArgumentException.class, () -> new Ack(tooMany));
    assertThrows(IllegalArgumentException.class, () -> new Ping(a, tooMany));
    assertThrows(IllegalArgumentException.class, () -> new PingReq(a, tooMany));
    assertThrows(IllegalArgumentException.class, () -> new Nack(a, tooMany));
    assertThrows(IllegalArgumentException.class, () -> new SyncRequest(false, tooMany));
    assertThrows(IllegalArgumentException.class, () -> new SyncReply(tooMany));
    assertThrows(NullPointerException.class, () -> new Gossip(null));
    assertThrows(NullPointerException.class, () -> new Ping(null, List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new MemberUpdate(a, -1, 0, MemberState.ALIVE));
    assertThrows(IllegalArgumentException.class,
        () -> new MemberStatus(a, MemberState.ALIVE, 0, -1, -1));
    assertThrows(IllegalArgumentException.class,
        () -> new Envelope(Envelope.CURRENT_VERSION, a, -1, new StatusRequest()));
    List<Long> hashes = Collections.nCopies(AeDigest.BUCKETS, 0L);
    assertThrows(IllegalArgumentException.class, () -> new AeDigest(1, true, -1, hashes));
    assertThrows(IllegalArgumentException.class,
        () -> new AeDigest(1, true, HybridClock.MAX_PHYSICAL_MILLIS + 1, hashes));
    Map<String, Long> nullValue = new HashMap<>();
    nullValue.put("a", null);
    assertThrows(IllegalArgumentException.class,
        () -> new StatusReply(a, List.of(), false, nullValue));
    Map<String, Long> nullKey = new HashMap<>();
    nullKey.put(null, 1L);
    assertThrows(IllegalArgumentException.class,
        () -> new StatusReply(a, List.of(), false, nullKey));
  }

  @Test
  void smallUpdatesReallyFitSoTheListLimitIsWhatRejects() {
    // Guards the corpus above: an over-long list must fail on its length, not on its size.
    String datagram = with(VALID, "[" + UPDATE + "]",
        "[" + smallUpdates(Limits.MAX_MEMBERS_PER_MESSAGE + 1) + "]");
    assertTrue(Datagrams.utf8(datagram).length <= Limits.MAX_DATAGRAM_BYTES);
    Decoded.Rejected rejected = (Decoded.Rejected) codec.decode(Datagrams.utf8(datagram));
    assertTrue(rejected.detail().contains("at most " + Limits.MAX_MEMBERS_PER_MESSAGE),
        rejected.detail());
  }

  /** {@code n} distinct updates in the fewest bytes the format allows. */
  private static String smallUpdates(int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : ",").append("{\"address\":\"a:").append(i)
          .append("\",\"generation\":0,\"incarnation\":0,\"state\":\"dead\"}");
    }
    return out.toString();
  }
}
