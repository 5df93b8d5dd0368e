package io.quorumkv.it.chaos;

import io.quorumkv.node.check.Checker.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The books of the nemesis: which nodes are disrupted, since when, and the intervals in which two
 * were disrupted at once. Pure: time is a parameter, in milliseconds since the run began.
 *
 * <p>A node is disrupted from the moment it is killed or paused until the cluster has settled
 * after it came back: a restarted node comes back empty, and a resumed one has missed every write
 * of its pause, so either holds less than its share of the keys until stabilization (and the
 * workload's own writes) refilled it. States: healthy (not in the books), {@link State#KILLED},
 * {@link State#PAUSED}, {@link State#RECOVERING} (running again, not refilled yet), healthy
 * again. A node is never disrupted twice at once.
 *
 * <p>Invariant: at most {@link #MAX_DISRUPTED} nodes are disrupted by kills and pauses, so every
 * key keeps at least one of its 3 replicas; the exception is a crash of the whole cluster
 * ({@link #disruptAll}), which only nodes that keep their records on disk survive. While two or
 * more are disrupted, a key may have only one replica that saw a quorum write, and a quorum read
 * may miss it: those times are the {@link #unsafe} intervals, in which the checker does not
 * claim that quorum reads see quorum writes.
 */
final class Disruptions {

  /** Most nodes disrupted at once: a key keeps at least one of its 3 replicas. */
  static final int MAX_DISRUPTED = 2;

  enum State {
    KILLED, PAUSED, RECOVERING
  }

  private record Entry(State state, long sinceMillis) {
  }

  private final Map<Integer, Entry> disrupted = new TreeMap<>();
  private final List<Interval> unsafe = new ArrayList<>();
  private long unsafeSince = -1;
  private String unsafeWhy = "";

  /** Node {@code node} is killed or paused at {@code nowMillis}. */
  void disrupt(int node, State state, long nowMillis) {
    if (state == State.RECOVERING) {
      throw new IllegalArgumentException("a node is disrupted by a kill or a pause");
    }
    if (disrupted.containsKey(node)) {
      throw new IllegalStateException("node " + node + " is already " + state(node));
    }
    if (!canDisrupt()) {
      throw new IllegalStateException("already " + MAX_DISRUPTED + " nodes disrupted: "
          + describe());
    }
    disrupted.put(node, new Entry(state, nowMillis));
    openUnsafe(nowMillis);
  }

  /** Every one of {@code nodes}, none disrupted yet, is killed at {@code nowMillis}. */
  void disruptAll(List<Integer> nodes, long nowMillis) {
    if (!disrupted.isEmpty()) {
      throw new IllegalStateException("a whole-cluster crash needs a healthy cluster: "
          + describe());
    }
    for (int n : nodes) {
      disrupted.put(n, new Entry(State.KILLED, nowMillis));
    }
    openUnsafe(nowMillis);
  }

  private void openUnsafe(long nowMillis) {
    if (disrupted.size() >= MAX_DISRUPTED && unsafeSince < 0) {
      unsafeSince = nowMillis;
      unsafeWhy = disrupted.size() + " nodes disrupted (" + describe() + ")";
    }
  }

  /** Node {@code node}, killed or paused, runs again (restarted or resumed) at {@code nowMillis}. */
  void recovering(int node, long nowMillis) {
    Entry e = disrupted.get(node);
    if (e == null || e.state() == State.RECOVERING) {
      throw new IllegalStateException("node " + node + " is not killed or paused");
    }
    disrupted.put(node, new Entry(State.RECOVERING, e.sinceMillis()));
  }

  /** Node {@code node}, recovering, is refilled at {@code nowMillis}: healthy again. */
  void recovered(int node, long nowMillis) {
    Entry e = disrupted.get(node);
    if (e == null || e.state() != State.RECOVERING) {
      throw new IllegalStateException("node " + node + " is not recovering");
    }
    disrupted.remove(node);
    if (disrupted.size() < MAX_DISRUPTED && unsafeSince >= 0) {
      unsafe.add(new Interval(unsafeSince, nowMillis, unsafeWhy));
      unsafeSince = -1;
    }
  }

  boolean canDisrupt() {
    return disrupted.size() < MAX_DISRUPTED;
  }

  /** Node {@code node}'s state, or null when it is healthy. */
  State state(int node) {
    Entry e = disrupted.get(node);
    return e == null ? null : e.state();
  }

  /** The disrupted nodes in {@code state}, in node order. */
  List<Integer> in(State state) {
    List<Integer> out = new ArrayList<>();
    disrupted.forEach((n, e) -> {
      if (e.state() == state) {
        out.add(n);
      }
    });
    return out;
  }

  /** Milliseconds node {@code node} has been disrupted at {@code nowMillis}. */
  long disruptedFor(int node, long nowMillis) {
    return nowMillis - disrupted.get(node).sinceMillis();
  }

  int count() {
    return disrupted.size();
  }

  /**
   * The unsafe intervals so far; one still open at {@code nowMillis} is included as ending then
   * (for a run that ends with two nodes still disrupted).
   */
  List<Interval> unsafe(long nowMillis) {
    List<Interval> out = new ArrayList<>(unsafe);
    if (unsafeSince >= 0) {
      out.add(new Interval(unsafeSince, nowMillis, unsafeWhy));
    }
    return out;
  }

  /** "node 2 killed, node 4 recovering", or "none". */
  String describe() {
    if (disrupted.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    disrupted.forEach((n, e) -> parts.add("node " + n + " "
        + e.state().name().toLowerCase(java.util.Locale.ROOT)));
    return String.join(", ", parts);
  }
}
