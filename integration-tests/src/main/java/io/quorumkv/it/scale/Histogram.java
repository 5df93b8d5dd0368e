package io.quorumkv.it.scale;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A class histogram of a JVM's heap, as {@code jcmd PID GC.class_histogram} prints it: the live
 * objects (the command runs a full collection first), instances and bytes per class, and the
 * totals. Two histograms of one process subtract, class by class, into what was added between.
 *
 * @param rows instances and bytes by class name (the module suffix dropped)
 * @param instances total instances, as the "Total" line says
 * @param bytes total bytes of live objects, as the "Total" line says
 */
record Histogram(Map<String, Row> rows, long instances, long bytes) {

  /** One class: its instances and their bytes (negative in a difference, when fewer). */
  record Row(String className, long instances, long bytes) {
  }

  private static final Pattern ROW =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");
  private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

  /** Parses jcmd's output; throws when it has no "Total" line (not a class histogram). */
  static Histogram parse(String text) {
    Map<String, Row> rows = new TreeMap<>();
    Long instances = null;
    long bytes = 0;
    for (String line : text.split("\\R")) {
      Matcher row = ROW.matcher(line);
      Matcher total = TOTAL.matcher(line);
      if (row.matches()) {
        // A class loaded by two loaders has two rows: count them together.
        rows.merge(row.group(3), new Row(row.group(3), Long.parseLong(row.group(1)),
            Long.parseLong(row.group(2))), Histogram::sum);
      } else if (total.matches()) {
        instances = Long.parseLong(total.group(1));
        bytes = Long.parseLong(total.group(2));
      }
    }
    if (instances == null) {
      throw new IllegalArgumentException("not a class histogram (no Total line): "
          + text.lines().findFirst().orElse("(empty)"));
    }
    return new Histogram(rows, instances, bytes);
  }

  /** This histogram less {@code earlier}, class by class; classes that did not change drop out. */
  Histogram minus(Histogram earlier) {
    Map<String, Row> diff = new TreeMap<>();
    for (Row r : rows.values()) {
      Row e = earlier.rows.getOrDefault(r.className(), new Row(r.className(), 0, 0));
      diff.put(r.className(), new Row(r.className(), r.instances() - e.instances(),
          r.bytes() - e.bytes()));
    }
    for (Row e : earlier.rows.values()) {
      diff.putIfAbsent(e.className(), new Row(e.className(), -e.instances(), -e.bytes()));
    }
    diff.values().removeIf(r -> r.instances() == 0 && r.bytes() == 0);
    return new Histogram(diff, instances - earlier.instances, bytes - earlier.bytes);
  }

  /** The {@code n} classes with the most bytes, most first (ties by name). */
  List<Row> top(int n) {
    List<Row> sorted = new ArrayList<>(rows.values());
    sorted.sort(Comparator.comparingLong(Row::bytes).reversed()
        .thenComparing(Row::className));
    return sorted.subList(0, Math.min(n, sorted.size()));
  }

  private static Row sum(Row a, Row b) {
    return new Row(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes());
  }
}
