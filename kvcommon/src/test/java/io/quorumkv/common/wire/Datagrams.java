package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Hand-written JSON datagrams for the bad corpus. Each bad case is a valid datagram with one
 * defect spliced in by {@link #with}, which insists that the text it replaces occurs exactly once,
 * so a typo in a test cannot silently test the valid datagram instead.
 */
final class Datagrams {

  static final String UPDATE =
      "{\"address\":\"10.0.0.1:7001\",\"generation\":1,\"incarnation\":3,\"state\":\"suspect\"}";
  static final String PING = "{\"type\":\"ping\",\"target\":\"h:1\",\"gossip\":[" + UPDATE + "]}";
  static final String SYNC = "{\"type\":\"sync\",\"join\":true,\"members\":[]}";
  static final String STATUS_ROW = "{\"address\":\"h:1\",\"state\":\"left\",\"generation\":2,"
      + "\"incarnation\":0,\"lastHeardMillisAgo\":-1}";
  static final String STATUS_REPLY = "{\"type\":\"status-reply\",\"node\":\"h:1\",\"members\":["
      + STATUS_ROW + "],\"truncated\":true,\"counters\":{\"wire.received\":5}}";

  /** A valid ping datagram. */
  static final String VALID = envelope(PING);

  private Datagrams() {
  }

  /** The current-version envelope around {@code messageJson}. */
  static String envelope(String messageJson) {
    return "{\"version\":1,\"sender\":\"127.0.0.1:7000\",\"requestId\":7,\"message\":"
        + messageJson + "}";
  }

  /** {@code base} with its only occurrence of {@code from} replaced by {@code to}. */
  static String with(String base, String from, String to) {
    int at = base.indexOf(from);
    if (at < 0 || base.indexOf(from, at + 1) >= 0) {
      fail("'" + from + "' must occur exactly once in " + base);
    }
    return base.substring(0, at) + to + base.substring(at + from.length());
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Asserts that {@code datagram} is rejected for {@code reason}, with a short clean detail. */
  static void assertRejected(Codec codec, RejectReason reason, byte[] datagram) {
    Decoded decoded = codec.decode(datagram);
    assertInstanceOf(Decoded.Rejected.class, decoded, () -> "accepted: " + decoded);
    Decoded.Rejected rejected = (Decoded.Rejected) decoded;
    assertEquals(reason, rejected.reason(), rejected.detail());
    assertPrintable(rejected.detail());
  }

  static void assertPrintable(String detail) {
    assertTrue(detail.length() <= Codec.MAX_DETAIL_LENGTH, "detail too long: " + detail.length());
    assertTrue(detail.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "unprintable: " + detail);
  }

  /** One dynamic test per corpus entry, named after it. */
  static Stream<DynamicTest> rejections(
      Codec codec, RejectReason reason, Map<String, String> corpus) {
    return rejections(codec, reason, corpus, Datagrams::utf8);
  }

  static <T> Stream<DynamicTest> rejections(
      Codec codec, RejectReason reason, Map<String, T> corpus, Function<T, byte[]> toBytes) {
    return corpus.entrySet().stream().map(entry -> DynamicTest.dynamicTest(
        reason + ": " + entry.getKey(),
        () -> assertRejected(codec, reason, toBytes.apply(entry.getValue()))));
  }
}
