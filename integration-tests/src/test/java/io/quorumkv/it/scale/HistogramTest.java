package io.quorumkv.it.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing jcmd's class histograms, and the arithmetic of two of them. */
class HistogramTest {

  /** As jcmd 17 prints it, trimmed: a header, rows with and without a module, the total. */
  static final String EMPTY = """
      12345:
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:         13981         914344  [B (java.base@17.0.15)
         2:         13253         318072  java.lang.String (java.base@17.0.15)
         3:            10            400  io.quorumkv.node.kv.Hints
         4:             2             64  io.quorumkv.node.kv.Hints
      Total         27246        1232880
      """;

  static final String FULL = """
      12345:
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:       2013981      120914344  [B (java.base@17.0.15)
         2:       2013253       48318072  java.lang.String (java.base@17.0.15)
         3:       1000000       40000000  java.util.TreeMap$Entry (java.base@17.0.15)
      Total       5027234      209232416
      """;

  @Test
  void parsesRowsAndTotalsAndAddsUpAClassOfTwoLoaders() {
    Histogram h = Histogram.parse(EMPTY);
    assertEquals(27246, h.instances());
    assertEquals(1232880, h.bytes());
    assertEquals(new Histogram.Row("[B", 13981, 914344), h.rows().get("[B"));
    assertEquals(new Histogram.Row("io.quorumkv.node.kv.Hints", 12, 464),
        h.rows().get("io.quorumkv.node.kv.Hints"));
    assertEquals(3, h.rows().size());
  }

  @Test
  void theDifferenceIsWhatWasAddedClassByClass() {
    Histogram added = Histogram.parse(FULL).minus(Histogram.parse(EMPTY));
    assertEquals(209232416 - 1232880, added.bytes());
    assertEquals(5027234 - 27246, added.instances());
    assertEquals(new Histogram.Row("[B", 2000000, 120000000), added.rows().get("[B"));
    assertEquals(new Histogram.Row("java.util.TreeMap$Entry", 1000000, 40000000),
        added.rows().get("java.util.TreeMap$Entry"));
    // A class that went away shows as negative.
    assertEquals(new Histogram.Row("io.quorumkv.node.kv.Hints", -12, -464),
        added.rows().get("io.quorumkv.node.kv.Hints"));
    assertEquals(List.of("[B", "java.lang.String", "java.util.TreeMap$Entry"),
        added.top(3).stream().map(Histogram.Row::className).toList());
  }

  @Test
  void topIsByBytesAndStopsAtWhatThereIs() {
    Histogram h = Histogram.parse(EMPTY);
    assertEquals(List.of("[B", "java.lang.String"),
        h.top(2).stream().map(Histogram.Row::className).toList());
    assertEquals(3, h.top(10).size());
  }

  @Test
  void refusesWhatIsNotAHistogram() {
    assertThrows(IllegalArgumentException.class,
        () -> Histogram.parse("12345:\nCommand executed successfully\n"));
    assertThrows(IllegalArgumentException.class, () -> Histogram.parse(""));
  }
}
