package io.quorumkv.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.KvOp;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The parts of a benchmark that choose what to send. */
class BenchPartsTest {

  @Test
  void keysHaveTheirSizeAndStayDistinct() {
    KeySpace keys = new KeySpace(100_000, 16);
    assertEquals("key-000000000000", keys.key(0));
    assertEquals("key-000000099999", keys.key(99_999));
    assertEquals(16, keys.key(12_345).length());
    assertThrows(IllegalArgumentException.class, () -> new KeySpace(100_000, 8));
    assertEquals("key-9", new KeySpace(10, 5).key(9));
  }

  @Test
  void mixDrawsInProportionToItsWeights() {
    OpMix mix = OpMix.parse("put:1, get:3");
    assertEquals("read:3,put:1", mix.toString());
    SplittableRandom random = new SplittableRandom(1);
    int reads = 0;
    for (int i = 0; i < 40_000; i++) {
      reads += mix.next(random) == KvOp.READ ? 1 : 0;
    }
    assertEquals(30_000, reads, 600);
    assertEquals("put:5", OpMix.parse("put:5,read:0").toString());
    assertThrows(IllegalArgumentException.class, () -> OpMix.parse("put:1,put:2"));
    assertThrows(IllegalArgumentException.class, () -> OpMix.parse("put"));
  }

  @Test
  void zipfianFavoursTheFirstKeysAsZipfsLawSays() {
    long count = 1000;
    double theta = 0.99;
    KeyChooser zipf = KeyChooser.of("zipfian", count, theta);
    SplittableRandom random = new SplittableRandom(42);
    int draws = 400_000;
    long[] seen = new long[(int) count];
    for (int i = 0; i < draws; i++) {
      long k = zipf.next(random);
      assertTrue(k >= 0 && k < count);
      seen[(int) k]++;
    }
    double zeta = ZipfianChooser.zeta(count, theta);
    // P(i) = 1 / ((i+1)^theta * zeta): exact for the first two, approximate beyond.
    assertEquals(draws / zeta, seen[0], draws / zeta * 0.03);
    assertEquals(draws / (Math.pow(2, theta) * zeta), seen[1], draws / zeta * 0.03);
    long firstTen = 0;
    for (int i = 0; i < 10; i++) {
      firstTen += seen[i];
    }
    double expectedTen = 0;
    for (int i = 1; i <= 10; i++) {
      expectedTen += draws / (Math.pow(i, theta) * zeta);
    }
    assertEquals(expectedTen, firstTen, expectedTen * 0.05);
  }

  @Test
  void uniformCoversTheKeySpaceEvenly() {
    KeyChooser uniform = KeyChooser.of("uniform", 10, 0.99);
    SplittableRandom random = new SplittableRandom(3);
    long[] seen = new long[10];
    for (int i = 0; i < 100_000; i++) {
      seen[(int) uniform.next(random)]++;
    }
    for (long n : seen) {
      assertEquals(10_000, n, 500);
    }
  }
}
