package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.quorumkv.common.time.Version;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-written path for the hot messages ({@link HotEncoder}, {@link HotDecoder}) against
 * Jackson: the same bytes out, the same envelope in, and null (so Jackson's turn) exactly where a
 * string is not plain ASCII or a number is negative. Random envelopes of every hot type, seeded;
 * a failure prints the case's seed. That the hot decoder accepts nothing the staged path refuses
 * is {@link CodecFuzzTest}'s property, which mutates these messages among the others.
 */
class HotCodecTest {

  private static final long ROOT_SEED = Long.getLong("wire.hot.seed", 0x407C0DECL);
  /** Characters a value may have: mostly plain ones, and each kind that is not. */
  private static final String ALPHABET = "abcXYZ019 :-_./{}[],~";
  private static final List<String> NOT_PLAIN = List.of("\"", "\\", "\n", "\u0000", "\u007f",
      "\u00e9", "\u20ac", "\ud83d\ude00");

  private final ObjectWriter jackson = WireMapper.json().writerFor(Envelope.class);
  private final Codec codec = new Codec();

  @Test
  void everyHotSampleIsWrittenAsJacksonWritesIt() throws Exception {
    Set<Class<?>> hot = new HashSet<>();
    for (Envelope envelope : WireSamples.envelopes()) {
      byte[] ours = HotEncoder.encodeOrNull(envelope);
      if (ours != null) {
        assertArrayEquals(jackson.writeValueAsBytes(envelope), ours, envelope::toString);
        assertEquals(envelope, HotDecoder.decodeOrNull(ours, 0, ours.length));
        hot.add(envelope.message().getClass());
      }
    }
    assertEquals(Set.of(KvRequest.class, KvReply.class, ReplicaWrite.class,
        ReplicaWriteReply.class, ReplicaRead.class, ReplicaReadReply.class), hot);
  }

  @Test
  void randomHotEnvelopesAgreeWithJackson() throws Exception {
    SplittableRandom root = new SplittableRandom(ROOT_SEED);
    int hotWritten = 0;
    int handedOn = 0;
    for (int i = 0; i < 20_000; i++) {
      long seed = root.nextLong();
      Case c = new Case(new SplittableRandom(seed));
      Envelope envelope = c.envelope();
      String replay = "case seed " + seed + " (root " + ROOT_SEED + "): " + envelope;
      byte[] expected = jackson.writeValueAsBytes(envelope);
      byte[] ours = HotEncoder.encodeOrNull(envelope);
      if (c.plainStrings) {
        assertArrayEquals(expected, ours, replay);
        hotWritten++;
      } else {
        assertNull(ours, replay);
        handedOn++;
      }
      Envelope read = HotDecoder.decodeOrNull(expected, 0, expected.length);
      if (c.plainStrings && !c.negative) {
        assertEquals(envelope, read, replay);
      } else {
        assertNull(read, replay);
      }
      // Whichever path takes them, the codec's answers stay the same.
      assertArrayEquals(expected, codec.encode(envelope), replay);
      assertEquals(new Decoded.Ok(envelope), codec.decode(expected), replay);
    }
    assertTrue(hotWritten > 5_000 && handedOn > 2_000, hotWritten + " / " + handedOn);
  }

  @Test
  void numbersOfEveryLengthAreWrittenAsJacksonWritesThem() throws Exception {
    // Ids and timestamps are never negative (the random cases cover a negative elsewhere).
    List<Long> values = new java.util.ArrayList<>(List.of(0L, Long.MAX_VALUE,
        (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MAX_VALUE - 1L));
    long power = 1;
    for (int digits = 1; digits <= 19; digits++, power *= 10) {
      values.addAll(List.of(power - 1, power, power + 1, 5 * power));
    }
    Address a = new Address("127.0.0.1", 7001);
    for (long v : values) {
      Envelope envelope = Envelope.of(a, v, new KvRequest(KvOp.PUT, "k", "v",
          Consistency.QUORUM, 1 + v % 100_000, v));
      assertArrayEquals(jackson.writeValueAsBytes(envelope), HotEncoder.encodeOrNull(envelope),
          () -> "request id and timestamp " + v);
    }
  }

  @Test
  void aDatagramInsideALargerBufferIsReadFromItsRange() {
    Envelope envelope = Envelope.of(WireSamples.NODE, 9,
        new ReplicaWriteReply(KvStatus.EXISTS));
    byte[] bytes = HotEncoder.encodeOrNull(envelope);
    assertNotNull(bytes);
    byte[] framed = new byte[bytes.length + 6];
    System.arraycopy(bytes, 0, framed, 3, bytes.length);
    framed[bytes.length + 3] = '}';
    assertEquals(envelope, HotDecoder.decodeOrNull(framed, 3, bytes.length));
    // One byte more is one byte after the object: not this form (and not JSON's either).
    assertNull(HotDecoder.decodeOrNull(framed, 3, bytes.length + 1));
  }

  @Test
  void formsJacksonAcceptsButThisPathDoesNotGoToJackson() {
    String canonical = "{\"version\":1,\"sender\":\"h:1\",\"requestId\":5,\"message\":"
        + "{\"type\":\"replica-write-reply\",\"status\":\"ok\"}}";
    Envelope expected = Envelope.of(Address.parse("h:1"), 5, new ReplicaWriteReply(KvStatus.OK));
    assertEquals(expected, hot(canonical));
    for (String other : List.of(canonical.replace(",", ", "), canonical + " ",
        canonical.replace("\"ok\"", "\"\\u006fk\""),
        canonical.replace("{\"type\":\"replica-write-reply\",\"status\":\"ok\"}",
            "{\"status\":\"ok\",\"type\":\"replica-write-reply\"}"),
        canonical.replace("\"requestId\":5", "\"requestId\":5.0"))) {
      assertNull(hot(other), other);
      Decoded jacksons = codec.decodeInStages(utf8(other), 0, utf8(other).length);
      assertEquals(jacksons, codec.decode(utf8(other)), other);
    }
    // Values a record refuses, and numbers past long range, are the staged path's to name.
    for (String bad : List.of(canonical.replace("\"ok\"", "\"fine\""),
        canonical.replace("\"h:1\"", "\"h:99999\""),
        canonical.replace("\"requestId\":5", "\"requestId\":9223372036854775808"),
        canonical.replace("\"requestId\":5", "\"requestId\":05"))) {
      assertNull(hot(bad), bad);
      assertTrue(codec.decode(utf8(bad)) instanceof Decoded.Rejected, bad);
    }
  }

  private static Envelope hot(String json) {
    byte[] bytes = utf8(json);
    return HotDecoder.decodeOrNull(bytes, 0, bytes.length);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** One random hot envelope, remembering whether all its strings are plain and numbers >= 0. */
  private static final class Case {
    private final SplittableRandom random;
    boolean plainStrings = true;
    boolean negative;

    Case(SplittableRandom random) {
      this.random = random;
    }

    Envelope envelope() {
      Message message = switch (random.nextInt(6)) {
        case 0 -> new KvRequest(pick(KvOp.values()), text(), text(), pick(Consistency.values()),
            random.nextInt(3) == 0 ? 0 : random.nextLong(KvLimits.MAX_TIMEOUT_MILLIS + 1),
            number());
        case 1 -> new KvReply(pick(KvStatus.values()), text(), version(), text());
        case 2 -> new ReplicaWrite(random.nextBoolean() ? KvOp.PUT : KvOp.DELETE, text(), text(),
            version(), address(), random.nextLong(Long.MAX_VALUE));
        case 3 -> new ReplicaWriteReply(pick(KvStatus.values()));
        case 4 -> new ReplicaRead(text(), address(), random.nextLong(1_000_000));
        default -> {
          boolean tombstone = random.nextBoolean();
          yield new ReplicaReadReply(new KeyRecord(text(), tombstone ? "" : text(), tombstone,
              version()));
        }
      };
      return Envelope.of(address(), random.nextLong(Long.MAX_VALUE), message);
    }

    private Version version() {
      return random.nextInt(8) == 0 ? Version.ZERO : new Version(number(), address());
    }

    /** A timestamp: small, today's, the largest, or (rarely) one past 2^63, negative as a long. */
    private long number() {
      return switch (random.nextInt(8)) {
        case 0 -> 0;
        case 1 -> Long.MAX_VALUE;
        case 2 -> {
          negative = true;
          yield -1 - random.nextLong(Long.MAX_VALUE);
        }
        case 3 -> random.nextLong(100);
        default -> random.nextLong(1L << 60);
      };
    }

    private Address address() {
      String host = random.nextBoolean()
          ? "127.0.0." + random.nextInt(256) : "node-" + random.nextInt(99);
      return new Address(host, random.nextInt(65_536));
    }

    private String text() {
      int length = random.nextInt(4) == 0 ? 0 : random.nextInt(120);
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      if (random.nextInt(6) == 0) {
        out.insert(random.nextInt(out.length() + 1),
            NOT_PLAIN.get(random.nextInt(NOT_PLAIN.size())));
        plainStrings = false;
      }
      return out.toString();
    }

    private <T> T pick(T[] values) {
      return values[random.nextInt(values.length)];
    }
  }
}
