package io.quorumkv.node;

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

  private final TreeMap<String, Long> values = new TreeMap<>();

  /** Adds one to {@code name}. */
  public void increment(String name) {
    add(name, 1);
  }

  /** Adds {@code delta} to {@code name}. */
  public void add(String name, long delta) {
    if (!values.containsKey(name) && values.size() >= MAX_NAMES) {
      name = "counters.overflow";
    }
    values.merge(name, delta, Long::sum);
  }

  /** The current value of {@code name}, 0 if never incremented. */
  public long get(String name) {
    return values.getOrDefault(name, 0L);
  }

  /** A sorted copy of all counters. */
  public Map<String, Long> snapshot() {
    return new TreeMap<>(values);
  }
}
