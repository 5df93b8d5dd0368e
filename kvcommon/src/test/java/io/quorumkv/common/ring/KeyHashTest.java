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

/** KeyHash is the first 8 bytes of SHA-256, big-endian: stable, specified, thread-safe. */
class KeyHashTest {

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({
      // The FIPS 180-4 test vectors for "" and "abc", first 16 hex digits of the digest.
      "'',    e3b0c44298fc1c14",
      "abc,   ba7816bf8f01cfea",
  })
  void isTheFirstEightBytesOfSha256BigEndian(String text, String hexPrefix) {
    assertEquals(Long.parseUnsignedLong(hexPrefix, 16), KeyHash.of(text));
  }

  @Test
  void hashesTheUtf8BytesOfTheText() {
    assertEquals(KeyHash.of(new byte[] {(byte) 0xC3, (byte) 0xA9}), KeyHash.of("\u00e9"));
    assertEquals(KeyHash.of("k\u00e9y".getBytes(StandardCharsets.UTF_8)), KeyHash.of("k\u00e9y"));
  }

  @Test
  void rejectsAMissingText() {
    assertThrows(IllegalArgumentException.class, () -> KeyHash.of((String) null));
  }

  @Test
  void givesTheSameAnswerFromSeveralThreadsAtOnce() throws Exception {
    // A digest shared between threads would corrupt results; each call must use its own.
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
