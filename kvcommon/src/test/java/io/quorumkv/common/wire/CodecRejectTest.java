package io.quorumkv.common.wire;

import static io.quorumkv.common.wire.Datagrams.VALID;
import static io.quorumkv.common.wire.Datagrams.assertRejected;
import static io.quorumkv.common.wire.Datagrams.envelope;
import static io.quorumkv.common.wire.Datagrams.utf8;
import static io.quorumkv.common.wire.Datagrams.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Datagrams that are wrong before their fields are even looked at: no bytes, too many bytes, not
 * UTF-8, not one JSON object, nested too deep, another protocol version, an unknown message type.
 * Each must be rejected for its exact reason. Field-level defects are in
 * {@link CodecFieldRejectTest}.
 */
class CodecRejectTest {

  private final Codec codec = new Codec();

  @Test
  void baselinesAreValid() {
    // Every bad case below is one of these with a single defect.
    for (String message : List.of(Datagrams.PING, Datagrams.SYNC, Datagrams.STATUS_REPLY)) {
      assertInstanceOf(Decoded.Ok.class, codec.decode(utf8(envelope(message))));
    }
  }

  @Test
  void emptyDatagramsAreEmpty() {
    assertRejected(codec, RejectReason.EMPTY, new byte[0]);
    assertRejected(codec, RejectReason.EMPTY, null);
    assertEquals(RejectReason.EMPTY, reason(codec.decode(utf8(VALID), 3, 0)));
  }

  @Test
  void rangesOutsideTheBufferAreRejectedNotThrown() {
    byte[] bytes = utf8(VALID);
    assertEquals(RejectReason.MALFORMED, reason(codec.decode(bytes, -1, 3)));
    assertEquals(RejectReason.MALFORMED, reason(codec.decode(bytes, 0, -1)));
    assertEquals(RejectReason.MALFORMED, reason(codec.decode(bytes, 2, bytes.length)));
    assertEquals(RejectReason.MALFORMED, reason(codec.decode(bytes, Integer.MAX_VALUE, 2)));
    // No buffer at all has no bytes, whatever the range says.
    assertEquals(RejectReason.EMPTY, reason(codec.decode(null, 0, 5)));
  }

  @Test
  void everyTruncationOfAValidDatagramOfEachTypeIsMalformed() {
    // Per type, every prefix of its largest sample up to 1 KiB, and prefixes at a stride and near
    // the end of its largest sample: enough to cut inside every token of every type, and linear.
    Map<Class<?>, byte[]> small = new HashMap<>();
    Map<Class<?>, byte[]> large = new HashMap<>();
    for (Envelope envelope : WireSamples.envelopes()) {
      byte[] bytes = codec.encode(envelope);
      Class<?> type = envelope.message().getClass();
      if (bytes.length <= 1024 && bytes.length > small.getOrDefault(type, new byte[0]).length) {
        small.put(type, bytes);
      }
      if (bytes.length > large.getOrDefault(type, new byte[0]).length) {
        large.put(type, bytes);
      }
    }
    assertEquals(WireSamples.WIRE_NAMES.keySet(), small.keySet());
    for (byte[] bytes : small.values()) {
      for (int length = 1; length < bytes.length; length++) {
        // In place, as a driver with a receive buffer calls it: the bytes after the range are
        // still there and must be ignored.
        assertEquals(RejectReason.MALFORMED, reason(codec.decode(bytes, 0, length)));
      }
    }
    for (byte[] bytes : large.values()) {
      for (int length = 1; length < bytes.length; length++) {
        if (length % 101 == 0 || length > bytes.length - 32) {
          assertEquals(RejectReason.MALFORMED, reason(codec.decode(bytes, 0, length)));
        }
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> oversizedDatagrams() {
    Map<String, byte[]> corpus = new LinkedHashMap<>();
    corpus.put("one byte over, all spaces", spaces(Limits.MAX_DATAGRAM_BYTES + 1));
    corpus.put("64 KiB of zeros", new byte[65_507]);
    // Valid JSON of a valid type that is merely too big: size is checked before anything else.
    StringBuilder gossip = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      gossip.append(i == 0 ? "" : ",").append(Datagrams.UPDATE);
    }
    corpus.put("valid JSON, too big", utf8(envelope(
        "{\"type\":\"gossip\",\"gossip\":[" + gossip + "]}")));
    corpus.put("valid datagram padded one byte over",
        utf8(VALID + " ".repeat(Limits.MAX_DATAGRAM_BYTES + 1 - VALID.length())));
    return Datagrams.rejections(codec, RejectReason.OVERSIZED, corpus, bytes -> bytes);
  }

  @TestFactory
  Stream<DynamicTest> malformedText() {
    Map<String, String> corpus = new LinkedHashMap<>();
    corpus.put("not JSON", "hello");
    corpus.put("whitespace only", " \t\r\n");
    corpus.put("open brace", "{");
    corpus.put("top-level array", "[" + VALID + "]");
    corpus.put("top-level empty array", "[]");
    corpus.put("top-level number", "42");
    corpus.put("top-level string", "\"ping\"");
    corpus.put("top-level null", "null");
    corpus.put("top-level boolean", "true");
    corpus.put("trailing garbage", VALID + "x");
    corpus.put("trailing second object", VALID + VALID);
    corpus.put("trailing comma", VALID + ",");
    corpus.put("trailing close brace", VALID + "}");
    corpus.put("duplicate envelope key", with(VALID, "\"requestId\":7,",
        "\"requestId\":7,\"requestId\":8,"));
    corpus.put("duplicate version key",
        with(VALID, "{\"version\":1,", "{\"version\":1,\"version\":1,"));
    corpus.put("duplicate type key",
        with(VALID, "\"type\":\"ping\",", "\"type\":\"ping\",\"type\":\"ack\","));
    corpus.put("duplicate field in update", with(VALID, "\"generation\":1,",
        "\"generation\":1,\"generation\":1,"));
    corpus.put("single quotes", VALID.replace('"', '\''));
    corpus.put("comment", with(VALID, "{\"version\"", "{/* hi */\"version\""));
    corpus.put("unquoted key", with(VALID, "\"requestId\"", "requestId"));
    corpus.put("NaN", with(VALID, "\"requestId\":7", "\"requestId\":NaN"));
    corpus.put("leading zero", with(VALID, "\"requestId\":7", "\"requestId\":07"));
    corpus.put("number of 30 digits", with(VALID, "\"requestId\":7",
        "\"requestId\":" + "9".repeat(30)));
    corpus.put("raw newline in a string", with(VALID, "\"h:1\"", "\"h:\n1\""));
    corpus.put("bad escape", with(VALID, "\"h:1\"", "\"h:\\x1\""));
    corpus.put("unterminated string", "{\"version\":1,\"sender\":\"127.0.0.1:7000");
    return Datagrams.rejections(codec, RejectReason.MALFORMED, corpus);
  }

  @TestFactory
  Stream<DynamicTest> malformedBytes() {
    byte[] valid = utf8(VALID);
    Map<String, byte[]> corpus = new LinkedHashMap<>();
    corpus.put("NUL byte alone", new byte[] {0});
    corpus.put("NUL before the object", concat(new byte[] {0}, valid));
    corpus.put("NUL after the object", concat(valid, new byte[] {0}));
    corpus.put("NUL inside a string", utf8(with(VALID, "\"h:1\"", "\"h:\u00001\"")));
    corpus.put("NUL between tokens", utf8(with(VALID, ",\"requestId\"", ",\u0000\"requestId\"")));
    corpus.put("lone continuation byte",
        splice(valid, "\"h:1\"", new byte[] {'"', (byte) 0x80, '"'}));
    corpus.put("invalid start byte 0xFF",
        splice(valid, "\"h:1\"", new byte[] {'"', (byte) 0xFF, '"'}));
    corpus.put("truncated two-byte sequence",
        splice(valid, "\"h:1\"", new byte[] {'"', (byte) 0xC3, '"'}));
    corpus.put("overlong encoding of '/'", splice(valid, "\"h:1\"",
        new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}));
    corpus.put("UTF-8 encoded surrogate", splice(valid, "\"h:1\"",
        new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}));
    // Jackson's byte parser alone would decode each of these into some character.
    corpus.put("overlong three-byte encoding of '/'", splice(valid, "\"h:1\"",
        new byte[] {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'}));
    corpus.put("overlong four-byte encoding of '/'", splice(valid, "\"h:1\"",
        new byte[] {'"', (byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF, '"'}));
    corpus.put("above U+10FFFF", splice(valid, "\"h:1\"",
        new byte[] {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}));
    corpus.put("start byte 0xF5", splice(valid, "\"h:1\"",
        new byte[] {'"', (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"'}));
    corpus.put("start byte 0xC1", splice(valid, "\"h:1\"",
        new byte[] {'"', (byte) 0xC1, (byte) 0xBF, '"'}));
    corpus.put("UTF-16 of a valid datagram", VALID.getBytes(StandardCharsets.UTF_16BE));
    corpus.put("UTF-16 with BOM", VALID.getBytes(StandardCharsets.UTF_16));
    corpus.put("UTF-32 of a valid datagram",
        VALID.getBytes(java.nio.charset.Charset.forName("UTF-32")));
    corpus.put("UTF-8 BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid));
    return Datagrams.rejections(codec, RejectReason.MALFORMED, corpus, bytes -> bytes);
  }

  @Test
  void multiByteCharactersDecodeInPlace() {
    // One character of each UTF-8 length in a key: 2 bytes, 3 bytes and 4 bytes (a surrogate
    // pair in Java), after runs of ASCII of both parities.
    String key = "k\u00e9ab\u20accde\ud834\udd1e";
    Envelope sent = Envelope.of(WireSamples.NODE, 7, new ReplicaRead(key, WireSamples.LOW, 1));
    byte[] bytes = codec.encode(sent);
    byte[] buffer = Arrays.copyOf(bytes, bytes.length + 16);
    Arrays.fill(buffer, bytes.length, buffer.length, (byte) 0x80);
    // Continuation bytes after the range, which the checks must not read.
    assertEquals(new Decoded.Ok(sent), codec.decode(buffer, 0, bytes.length));
  }

  @Test
  void nestingUpToTheLimitParsesAndOneLevelMoreIsMalformed() {
    // The envelope object is level 1, so an extra field nested (limit - 1) deep reaches the limit.
    // At the limit the JSON parses and the unknown field is rejected by binding instead.
    for (String open : List.of("[", "{\"a\":")) {
      String close = open.equals("[") ? "]" : "}";
      int atLimit = Limits.MAX_JSON_DEPTH - 1;
      assertRejected(codec, RejectReason.INVALID_FIELDS,
          utf8(withExtraField(open, close, atLimit)));
      assertRejected(codec, RejectReason.MALFORMED, utf8(withExtraField(open, close, atLimit + 1)));
      // Far deeper than any stack could take if the parser recursed without a bound.
      assertRejected(codec, RejectReason.MALFORMED, utf8(open.repeat(1000) + close.repeat(1000)));
      assertRejected(codec, RejectReason.MALFORMED, utf8(open.repeat(1000)));
    }
    // Deep nesting inside a real field is malformed too, not a binding error.
    assertRejected(codec, RejectReason.MALFORMED, utf8(with(VALID, "\"gossip\":[",
        "\"gossip\":[" + "[".repeat(40) + "]".repeat(40) + ",")));
  }

  @TestFactory
  Stream<DynamicTest> unsupportedVersions() {
    Map<String, String> corpus = new LinkedHashMap<>();
    for (String version : List.of("0", "2", "-1", "2147483647", "2147483648", "99999999999999")) {
      corpus.put("version " + version, with(VALID, "\"version\":1", "\"version\":" + version));
    }
    // The version is judged first: a future version may have types and fields we do not know.
    corpus.put("version 2 with an unknown type", with(envelope("{\"type\":\"frobnicate\"}"),
        "\"version\":1", "\"version\":2"));
    corpus.put("version 2 without a message", "{\"version\":2}");
    corpus.put("version 2 with a string message", "{\"version\":2,\"message\":\"hi\"}");
    return Datagrams.rejections(codec, RejectReason.UNSUPPORTED_VERSION, corpus);
  }

  @TestFactory
  Stream<DynamicTest> missingOrIllTypedVersionOrMessage() {
    Map<String, String> corpus = new LinkedHashMap<>();
    corpus.put("empty object", "{}");
    corpus.put("version missing", with(VALID, "\"version\":1,", ""));
    corpus.put("version null", with(VALID, "\"version\":1", "\"version\":null"));
    corpus.put("version as string", with(VALID, "\"version\":1", "\"version\":\"1\""));
    corpus.put("version as float", with(VALID, "\"version\":1", "\"version\":1.0"));
    corpus.put("version as exponent", with(VALID, "\"version\":1", "\"version\":1e0"));
    corpus.put("version as boolean", with(VALID, "\"version\":1", "\"version\":true"));
    corpus.put("version as object", with(VALID, "\"version\":1", "\"version\":{}"));
    corpus.put("message missing", "{\"version\":1,\"sender\":\"h:1\",\"requestId\":1}");
    corpus.put("message null", envelope("null"));
    corpus.put("message as string", envelope("\"ping\""));
    corpus.put("message as array", envelope("[" + Datagrams.PING + "]"));
    return Datagrams.rejections(codec, RejectReason.INVALID_FIELDS, corpus);
  }

  @TestFactory
  Stream<DynamicTest> unknownTypes() {
    Map<String, String> corpus = new LinkedHashMap<>();
    corpus.put("type missing", with(VALID, "\"type\":\"ping\",", ""));
    corpus.put("type null", with(VALID, "\"type\":\"ping\"", "\"type\":null"));
    corpus.put("type as number", with(VALID, "\"type\":\"ping\"", "\"type\":1"));
    corpus.put("type as list", with(VALID, "\"type\":\"ping\"", "\"type\":[\"ping\"]"));
    corpus.put("type as object", with(VALID, "\"type\":\"ping\"", "\"type\":{\"name\":\"ping\"}"));
    for (String name : List.of("", "pong", "PING", "Ping", "ping ", " ping", "ping\u0000",
        "io.quorumkv.common.wire.Ping", "java.lang.Runtime", "status-request", "sync-request",
        "pingreq", "ping_req", "\u043f\u0438\u043d\u0433", "x".repeat(5000),
        "a\nforged log line")) {
      corpus.put("type '" + name.substring(0, Math.min(name.length(), 30)) + "'",
          with(VALID, "\"type\":\"ping\"", "\"type\":\"" + name.replace("\n", "\\n")
              .replace("\u0000", "\\u0000") + "\""));
    }
    corpus.put("empty message object", envelope("{}"));
    return Datagrams.rejections(codec, RejectReason.UNKNOWN_TYPE, corpus);
  }

  private static String withExtraField(String open, String close, int depth) {
    return with(VALID, "{\"version\":1,",
        "{\"version\":1,\"x\":" + open.repeat(depth) + "1" + close.repeat(depth) + ",");
  }

  private static RejectReason reason(Decoded decoded) {
    assertInstanceOf(Decoded.Rejected.class, decoded);
    Datagrams.assertPrintable(((Decoded.Rejected) decoded).detail());
    return ((Decoded.Rejected) decoded).reason();
  }

  private static byte[] spaces(int n) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) ' ');
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** {@code bytes} with the only occurrence of {@code from} (ASCII) replaced by {@code to}. */
  private static byte[] splice(byte[] bytes, String from, byte[] to) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf(from);
    assertEquals(at, text.lastIndexOf(from), "must occur once: " + from);
    byte[] head = Arrays.copyOf(bytes, at);
    byte[] tail = Arrays.copyOfRange(bytes, at + from.length(), bytes.length);
    return concat(concat(head, to), tail);
  }
}
