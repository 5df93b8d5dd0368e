package io.quorumkv.common.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** KeyHash is h1 of MurmurHash3 x64-128, seed 0: stable, specified, thread-safe. */
class KeyHashTest {

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({
      // Published MurmurHash3 x64-128 vectors (seed 0, h1): no tail, a tail under 8 bytes, one
      // over 8, one block and a tail, and several blocks.
      "'',                                             0000000000000000",
      "hello,                                          cbd8a7b341bd9b02",
      "'hello, world',                                 342fac623a5ebc8e",
      "19 Jan 2038 at 3:14:07 AM,                      b89e5988b737affc",
      "The quick brown fox jumps over the lazy dog.,   cd99481f9ee902c9",
  })
  void isMurmurHash3X64Of128BitsFirstHalf(String text, String hex) {
    assertEquals(Long.parseUnsignedLong(hex, 16), KeyHash.of(text));
  }

  @Test
  void hashesTheUtf8BytesOfTheText() {
    assertEquals(KeyHash.of(new byte[] {(byte) 0xC3, (byte) 0xA9}), KeyHash.of("\u00e9"));
    assertEquals(KeyHash.of("k\u00e9y".getBytes(StandardCharsets.UTF_8)), KeyHash.of("k\u00e9y"));
    // ASCII texts are read in place: the same answer as their bytes, at every tail length.
    String ascii = "The quick brown fox jumps over the lazy dog, twice over.";
    for (int n = 0; n <= ascii.length(); n++) {
      String text = ascii.substring(0, n);
      assertEquals(KeyHash.of(text.getBytes(StandardCharsets.US_ASCII)), KeyHash.of(text), text);
    }
    assertEquals(KeyHash.of("\u007f".getBytes(StandardCharsets.UTF_8)), KeyHash.of("\u007f"));
    assertEquals(KeyHash.of("\u0080".getBytes(StandardCharsets.UTF_8)), KeyHash.of("\u0080"));
  }

  @Test
  void rejectsAMissingText() {
    assertThrows(IllegalArgumentException.class, () -> KeyHash.of((String) null));
  }

  @Test
  void givesTheSameAnswerFromSeveralThreadsAtOnce() throws Exception {
    // The hash keeps no state; this pins that it never will (it once kept a digest per thread).
    int keys = 5_000;
    long[] expected = new long[keys];
    for (int i = 0; i < keys; i++) {
      expected[i] = KeyHash.of("key-" + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<long[]>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          long[] got = new long[keys];
          for (int i = 0; i < keys; i++) {
            got[i] = KeyHash.of("key-" + i);
          }
          return got;
        }));
      }
      for (Future<long[]> result : results) {
        assertArrayEquals(expected, result.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
