package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of {@link Codec#decode}: random bytes, random JSON-like token soup, and random
 * mutations of valid datagrams of every type. The property is the one a driver's loop relies on:
 * decode never throws, always answers Ok or Rejected, and whatever it accepts can be sent again.
 *
 * <p>Every case has its own seed, derived from the root seed; a failure prints it. Run with
 * {@code -Dwire.fuzz.seed=N} to explore other seeds; the default keeps the build reproducible.
 */
class CodecFuzzTest {

  private static final long ROOT_SEED = Long.getLong("wire.fuzz.seed", 0x5EED_F00DL);
  private static final int MUTATIONS = 20_000;
  private static final byte[] INTERESTING = utf8("{}[]\":,0-9.eE\\ ntfu\u0000");

  private static final List<String> TOKENS = List.of("{", "}", "[", "]", ":", ",", "\"version\"",
      "\"sender\"", "\"requestId\"", "\"message\"", "\"type\"", "\"ping\"", "\"status\"",
      "\"gossip\"", "\"target\"", "\"h:1\"", "\"a:0\"", "1", "0", "-1", "2", "1.5", "true", "null",
      "\"\"", "\"x\"", " ", "9223372036854775808", "{\"type\":\"status\"}");

  private final Codec codec = new Codec();

  @Test
  void randomBytesAreRejectedForTheirExactReason() {
    SplittableRandom root = new SplittableRandom(ROOT_SEED);
    for (int i = 0; i < 3_000; i++) {
      long seed = root.nextLong();
      SplittableRandom random = new SplittableRandom(seed);
      // Mostly short datagrams, where structure is likeliest to matter; some up to and past
      // the limit.
      int length = random.nextInt(10) == 0
          ? random.nextInt(Limits.MAX_DATAGRAM_BYTES + 512) : random.nextInt(64);
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      RejectReason expected = length == 0 ? RejectReason.EMPTY
          : length > Limits.MAX_DATAGRAM_BYTES ? RejectReason.OVERSIZED : RejectReason.MALFORMED;
      Decoded decoded = decodeOrFail(bytes, seed);
      assertEquals(expected, reasonOf(decoded),
          () -> replay(seed, bytes));
    }
  }

  @Test
  void randomTokenSoupNeverThrows() {
    SplittableRandom root = new SplittableRandom(ROOT_SEED + 1);
    for (int i = 0; i < 5_000; i++) {
      long seed = root.nextLong();
      SplittableRandom random = new SplittableRandom(seed);
      StringBuilder soup = new StringBuilder();
      int tokens = 1 + random.nextInt(40);
      for (int t = 0; t < tokens; t++) {
        soup.append(TOKENS.get(random.nextInt(TOKENS.size())));
      }
      checkProperty(utf8(soup.toString()), seed);
    }
  }

  @Test
  void mutatedValidDatagramsNeverThrowAndAcceptedOnesReencode() {
    List<byte[]> valid = mutationSeeds();
    SplittableRandom root = new SplittableRandom(ROOT_SEED + 2);
    Map<RejectReason, Integer> rejections = new EnumMap<>(RejectReason.class);
    int accepted = 0;
    for (int i = 0; i < MUTATIONS; i++) {
      long seed = root.nextLong();
      SplittableRandom random = new SplittableRandom(seed);
      byte[] bytes = valid.get(random.nextInt(valid.size()));
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        bytes = mutate(bytes, random);
      }
      Decoded decoded = checkProperty(bytes, seed);
      if (decoded instanceof Decoded.Rejected rejected) {
        rejections.merge(rejected.reason(), 1, Integer::sum);
      } else {
        accepted++;
      }
    }
    // The mutations must reach past the parser, or the fuzzer tests nothing but syntax.
    assertTrue(accepted > 100, "accepted " + accepted);
    for (RejectReason reason : List.of(RejectReason.MALFORMED, RejectReason.INVALID_FIELDS,
        RejectReason.UNKNOWN_TYPE)) {
      assertTrue(rejections.getOrDefault(reason, 0) > 10, reason + " in " + rejections);
    }
    // The version is one byte of each datagram, so few mutations turn it into another number.
    assertTrue(rejections.getOrDefault(RejectReason.UNSUPPORTED_VERSION, 0) > 0,
        "no other version in " + rejections);
  }

  /**
   * Every sample up to 2 KiB, where a mutation is likely to hit a field rather than one of many
   * list entries, and the largest sample of each type, so full-size datagrams are mutated too.
   */
  private List<byte[]> mutationSeeds() {
    Map<Class<?>, byte[]> largest = new HashMap<>();
    List<byte[]> seeds = new ArrayList<>();
    for (Envelope envelope : WireSamples.envelopes()) {
      byte[] bytes = codec.encode(envelope);
      if (bytes.length <= 2048) {
        seeds.add(bytes);
      }
      largest.merge(envelope.message().getClass(), bytes, (a, b) -> a.length >= b.length ? a : b);
    }
    seeds.addAll(largest.values());
    return seeds;
  }

  /**
   * The property: no exception, an outcome, a printable detail, and an accepted envelope that
   * the staged path accepts too, and that encodes within the limit and decodes back to itself.
   */
  private Decoded checkProperty(byte[] bytes, long seed) {
    Decoded decoded = decodeOrFail(bytes, seed);
    assertNotNull(decoded, () -> replay(seed, bytes));
    if (decoded instanceof Decoded.Rejected rejected) {
      Datagrams.assertPrintable(rejected.detail());
      return decoded;
    }
    // The fast path may only accept what the staged path accepts (CodecFastPathTest).
    assertEquals(decoded, codec.decodeInStages(bytes, 0, bytes.length),
        () -> "the paths disagree; " + replay(seed, bytes));
    Envelope envelope = ((Decoded.Ok) decoded).envelope();
    byte[] again;
    try {
      again = codec.encode(envelope);
    } catch (RuntimeException e) {
      throw new AssertionError("accepted but cannot re-encode; " + replay(seed, bytes), e);
    }
    assertTrue(again.length <= bytes.length, () -> "re-encoding grew; " + replay(seed, bytes));
    assertEquals(decoded, codec.decode(again), () -> replay(seed, bytes));
    return decoded;
  }

  private Decoded decodeOrFail(byte[] bytes, long seed) {
    try {
      return codec.decode(bytes);
    } catch (Throwable e) {
      throw new AssertionError("decode threw; " + replay(seed, bytes), e);
    }
  }

  /** One random edit: flip a bit, overwrite, insert, delete a span, or duplicate a span. */
  private static byte[] mutate(byte[] in, SplittableRandom random) {
    if (in.length == 0) {
      return new byte[] {randomByte(random)};
    }
    int at = random.nextInt(in.length);
    int span = 1 + random.nextInt(Math.min(16, in.length - at));
    switch (random.nextInt(5)) {
      case 0 -> {
        byte[] out = in.clone();
        out[at] ^= (byte) (1 << random.nextInt(8));
        return out;
      }
      case 1 -> {
        byte[] out = in.clone();
        out[at] = randomByte(random);
        return out;
      }
      case 2 -> {
        byte[] insert = new byte[span];
        for (int k = 0; k < span; k++) {
          insert[k] = randomByte(random);
        }
        return splice(in, at, 0, insert);
      }
      case 3 -> {
        return splice(in, at, span, new byte[0]);
      }
      default -> {
        return splice(in, at, 0, Arrays.copyOfRange(in, at, at + span));
      }
    }
  }

  /** Half the time a byte that means something to JSON, so mutations hit structure. */
  private static byte randomByte(SplittableRandom random) {
    return random.nextBoolean()
        ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
  }

  private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
    byte[] out = new byte[in.length - remove + insert.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
    return out;
  }

  private static RejectReason reasonOf(Decoded decoded) {
    return decoded instanceof Decoded.Rejected rejected ? rejected.reason() : null;
  }

  private static String replay(long seed, byte[] bytes) {
    String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 512));
    return "case seed " + seed + " (root " + ROOT_SEED + "), datagram of " + bytes.length
        + " bytes starting " + hex;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
