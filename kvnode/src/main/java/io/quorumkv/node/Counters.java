package io.quorumkv.node;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named event counters with dotted names ({@code wire.rejected.malformed}, {@code swim.suspected}).
 * Owned by one node and touched only by its loop thread. The set of names is fixed by the code, so
 * the map is bounded by construction; {@link #MAX_NAMES} guards against a bug that would make
 * names from data.
 *
 * <p>Code that counts once per datagram or request holds a {@link Counter} it asked for once
 * ({@link #counter}); rarer events count by name. A counter still at zero is not listed, so
 * asking for a handle early changes nothing a snapshot shows.
 */
public final class Counters {

  /** Most distinct counter names kept; increments of further names go to {@code counters.overflow}. */
  public static final int MAX_NAMES = 120;

  private static final String OVERFLOW = "counters.overflow";

  /** One named count. Not thread-safe: like its {@link Counters}, the loop's alone. */
  public static final class Counter {
    private long value;

    private Counter() {
    }

    /** Adds one. */
    public void increment() {
      value++;
    }

    /** Adds {@code delta}. */
    public void add(long delta) {
      value += delta;
    }
  }

  /**
   * A hash map of mutable cells, not a sorted map of boxed longs: the loop counts several events
   * per request, and under bench load the tree's string comparisons and the boxing took about 3%
   * of it. Sorted only when a snapshot is asked for. The handles came later: the name lookups
   * were still about 4% of a loaded loop (JFR, 2026-12-02).
   */
  private final HashMap<String, Counter> values = new HashMap<>();

  /** The counter named {@code name}, made at zero if new ({@code counters.overflow} past the bound). */
  public Counter counter(String name) {
    Counter c = values.get(name);
    if (c == null) {
      c = values.computeIfAbsent(values.size() >= MAX_NAMES ? OVERFLOW : name, n -> new Counter());
    }
    return c;
  }

  /** Adds one to {@code name}. */
  public void increment(String name) {
    counter(name).value++;
  }

  /** Adds {@code delta} to {@code name}. */
  public void add(String name, long delta) {
    counter(name).value += delta;
  }

  /** The current value of {@code name}, 0 if never counted. */
  public long get(String name) {
    Counter c = values.get(name);
    return c == null ? 0 : c.value;
  }

  /** A sorted copy of the counters that are not at zero. */
  public Map<String, Long> snapshot() {
    TreeMap<String, Long> out = new TreeMap<>();
    values.forEach((name, c) -> {
      if (c.value != 0) {
        out.put(name, c.value);
      }
    });
    return out;
  }
}
