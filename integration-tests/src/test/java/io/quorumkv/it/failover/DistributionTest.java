package io.quorumkv.it.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's statistics: median, nearest-rank percentile and maximum, on hand-made samples. */
class DistributionTest {

  @Test
  void tenRunsInAnyOrder() {
    Distribution d = Distribution.of(List.of(900L, 100L, 800L, 200L, 700L, 300L, 600L, 400L,
        1000L, 500L));
    assertEquals(10, d.count());
    assertEquals(550, d.median(), "the mean of the 5th and 6th smallest");
    assertEquals(900, d.percentile(90), "rank ceil(0.9 * 10) = 9");
    assertEquals(1000, d.percentile(100));
    assertEquals(100, d.percentile(1));
    assertEquals(1000, d.max());
    assertEquals("median 550 ms, p90 900 ms, max 1000 ms (10 runs)", d.summary());
  }

  @Test
  void anOddCountHasAMiddleValueAndTheNearestRankRoundsUp() {
    Distribution d = Distribution.of(List.of(30L, 10L, 20L));
    assertEquals(20, d.median());
    assertEquals(30, d.percentile(90), "rank ceil(2.7) = 3");
    assertEquals(20, d.percentile(50), "rank ceil(1.5) = 2");
  }

  @Test
  void theMedianOfAnEvenCountRoundsDown() {
    assertEquals(15, Distribution.of(List.of(10L, 21L)).median());
    assertEquals(7, Distribution.of(List.of(7L)).percentile(90));
    assertEquals("median 7 ms, p90 7 ms, max 7 ms (1 run)", Distribution.of(List.of(7L))
        .summary());
  }

  @Test
  void noSamplesNoFigures() {
    Distribution d = Distribution.of(List.of());
    assertEquals("no runs", d.summary());
    assertThrows(IllegalStateException.class, d::median);
    assertThrows(IllegalArgumentException.class, () -> Distribution.of(List.of(1L))
        .percentile(0));
  }
}
