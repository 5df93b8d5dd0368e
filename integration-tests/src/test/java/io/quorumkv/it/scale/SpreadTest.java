package io.quorumkv.it.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Median and range of repeated runs. */
class SpreadTest {

  @Test
  void oddCountsTakeTheMiddleValueWhateverTheOrder() {
    assertEquals(new Spread(1641, 1597, 2390, 3), Spread.of(List.of(2390L, 1597L, 1641L)));
    assertEquals(new Spread(7, 7, 7, 1), Spread.of(List.of(7L)));
  }

  @Test
  void evenCountsTakeTheMeanOfTheTwoMiddleValues() {
    assertEquals(new Spread(150, 100, 400, 4), Spread.of(List.of(400L, 100L, 200L, 100L)));
  }

  @Test
  void printsMedianRangeAndCount() {
    assertEquals("1641 ms (1597..2390, 3 runs)", Spread.of(List.of(2390L, 1597L, 1641L))
        .toString());
    assertEquals("7 ms (7..7, 1 run)", Spread.of(List.of(7L)).toString());
  }

  @Test
  void refusesNoMeasurements() {
    assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of()));
  }
}
