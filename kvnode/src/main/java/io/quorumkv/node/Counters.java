package io.quorumkv.node;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named event counters with dotted names ({@code wire.rejected.malformed}, {@code swim.suspected}).
 * Owned by one node and touched only by its loop thread. The set of names is fixed by the code, so
 * the map is bounded by construction; {@link #MAX_NAMES} guards against a bug that would make
 * names from data.
 */
public final class Counters {

  /** Most distinct counter names kept; increments of further names go to {@code counters.overflow}. */
  public static final int MAX_NAMES = 120;

  /**
   * A hash map of mutable cells, not a sorted map of boxed longs: the loop counts several events
   * per request, and under bench load the tree's string comparisons and the boxing took about 3%
   * of it. Sorted only when a snapshot is asked for.
   */
  private final HashMap<String, long[]> values = new HashMap<>();

  /** Adds one to {@code name}. */
  public void increment(String name) {
    add(name, 1);
  }

  /** Adds {@code delta} to {@code name}. */
  public void add(String name, long delta) {
    long[] cell = values.get(name);
    if (cell == null) {
      cell = values.computeIfAbsent(values.size() >= MAX_NAMES ? "counters.overflow" : name,
          n -> new long[1]);
    }
    cell[0] += delta;
  }

  /** The current value of {@code name}, 0 if never incremented. */
  public long get(String name) {
    long[] cell = values.get(name);
    return cell == null ? 0 : cell[0];
  }

  /** A sorted copy of all counters. */
  public Map<String, Long> snapshot() {
    TreeMap<String, Long> out = new TreeMap<>();
    values.forEach((name, cell) -> out.put(name, cell[0]));
    return out;
  }
}
