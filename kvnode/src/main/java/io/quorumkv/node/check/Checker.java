package io.quorumkv.node.check;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.check.History.Op;
import io.quorumkv.node.check.History.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Judges a {@link History} against the guarantees QuorumKV claims (README, "What the store
 * guarantees"). Each guarantee is a named property; a violation names it, the key, and the
 * operations that show it.
 *
 * <ul>
 *   <li>{@value #PHANTOM}: a read returns only what a write that was not refused wrote, with the
 *       version its client was told, and never before that write began.
 *   <li>{@value #LOST}: after healing, each key's final record is at least as new (by version)
 *       as every acknowledged write to it, and was written by a write not refused: an
 *       acknowledged write is only ever replaced by a newer one, and a delete stays deleted.
 *   <li>{@value #STALE}: a quorum read that began after a quorum write completed returns that
 *       write's version or a newer one, when neither overlaps an unsafe interval (a partition, or
 *       more replicas down than the quorums tolerate).
 *   <li>{@value #ORDER}: when the nodes' clocks agree, a write that began after another completed
 *       gets a higher version, so it wins (checked only when the caller says the clocks agree).
 * </ul>
 */
public final class Checker {

  public static final String PHANTOM = "no-phantom-read";
  public static final String LOST = "no-lost-write";
  public static final String STALE = "quorum-read-sees-quorum-write";
  public static final String ORDER = "real-time-write-order";

  /** A key's record once the cluster has healed: the newest among its owners. */
  public record Final(boolean found, String value, Version version) {
    public static final Final ABSENT = new Final(false, "", Version.ZERO);
  }

  /** A time interval [from, until) in which the quorum property is not claimed. */
  public record Interval(long from, long until, String why) {
    boolean overlaps(long a, long b) {
      return a < until && from <= b;
    }
  }

  /** A broken guarantee: which, on which key, why, and the operations that show it. */
  public record Violation(String property, String key, String why, List<Op> ops) {
    public Violation {
      ops = List.copyOf(ops);
    }

    public String describe() {
      StringBuilder out = new StringBuilder(property + " on key " + key + ": " + why);
      for (Op o : ops) {
        out.append("\n    ").append(o.describe());
      }
      return out.toString();
    }
  }

  private final List<Op> ops;
  private final Map<String, List<Op>> byKey = new TreeMap<>();
  private final int replicas;
  private final int readQuorum;
  private final int writeQuorum;

  /** A checker for the default N = 3, R = W = 2. */
  public Checker(List<Op> ops) {
    this(ops, 3, 2, 2);
  }

  /** A checker for a store of {@code replicas} replicas and these quorums. */
  public Checker(List<Op> ops, int replicas, int readQuorum, int writeQuorum) {
    this.replicas = replicas;
    this.readQuorum = readQuorum;
    this.writeQuorum = writeQuorum;
    this.ops = List.copyOf(ops);
    for (Op o : this.ops) {
      byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
    }
  }

  /**
   * Checks every property that applies.
   *
   * @param finals each key's final record after healing, or null when not known (then
   *     {@value #LOST} is not checked); keys missing from it count as absent
   * @param unsafe intervals in which {@value #STALE} is not claimed
   * @param clocksAgree whether the nodes' clocks agreed (enables {@value #ORDER})
   */
  public List<Violation> check(Map<String, Final> finals, List<Interval> unsafe,
      boolean clocksAgree) {
    List<Violation> out = new ArrayList<>();
    for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
      phantomReads(e.getKey(), e.getValue(), out);
      if (finals != null) {
        lostWrites(e.getKey(), e.getValue(), finals.getOrDefault(e.getKey(), Final.ABSENT), out);
      }
      staleReads(e.getKey(), e.getValue(), unsafe, out);
      if (clocksAgree) {
        writeOrder(e.getKey(), e.getValue(), out);
      }
    }
    return out;
  }

  /**
   * The operations on {@code v}'s key that overlap the time span of its operations, widened by
   * {@code marginMillis}: the part of the history a reader needs to see the violation.
   */
  public List<Op> context(Violation v, long marginMillis) {
    long from = Long.MAX_VALUE;
    long until = Long.MIN_VALUE;
    for (Op o : v.ops()) {
      from = Math.min(from, o.invokedMillis());
      until = Math.max(until, o.completedMillis() == Long.MAX_VALUE ? o.invokedMillis()
          : o.completedMillis());
    }
    List<Op> out = new ArrayList<>();
    for (Op o : byKey.getOrDefault(v.key(), List.of())) {
      long end = o.completedMillis() == Long.MAX_VALUE ? Long.MAX_VALUE : o.completedMillis();
      if (o.invokedMillis() <= until + marginMillis && end >= from - marginMillis) {
        out.add(o);
      }
    }
    return out;
  }

  private static void phantomReads(String key, List<Op> ops, List<Violation> out) {
    for (Op r : ops) {
      if (r.op() != KvOp.READ || !r.isOk()) {
        continue;
      }
      if (r.found()) {
        String problem = attribute(ops, r.readValue(), r.version(), r.completedMillis());
        if (problem != null) {
          out.add(new Violation(PHANTOM, key, "read " + problem, withWrites(r, ops, r.readValue())));
        }
      } else if (!r.version().equals(Version.ZERO)) {
        String problem = attributeTombstone(ops, r.version(), r.completedMillis());
        if (problem != null) {
          out.add(new Violation(PHANTOM, key, "read " + problem, List.of(r)));
        }
      }
    }
  }

  private static void lostWrites(String key, List<Op> ops, Final last, List<Violation> out) {
    Op newestAcked = null;
    for (Op w : ops) {
      if (w.isWrite() && w.isOk()
          && (newestAcked == null || w.version().compareTo(newestAcked.version()) > 0)) {
        newestAcked = w;
      }
    }
    if (newestAcked != null && last.version().compareTo(newestAcked.version()) < 0) {
      out.add(new Violation(LOST, key, "the final record " + describe(last)
          + " is older than an acknowledged write", List.of(newestAcked)));
      return;
    }
    if (last.version().equals(Version.ZERO)) {
      return;
    }
    String problem = last.found()
        ? attribute(ops, last.value(), last.version(), Long.MAX_VALUE)
        : attributeTombstone(ops, last.version(), Long.MAX_VALUE);
    if (problem != null) {
      out.add(new Violation(LOST, key, "the final record " + describe(last) + " is " + problem,
          last.found() ? withWrites(null, ops, last.value()) : List.of()));
    }
  }

  /**
   * Pairs of an acknowledged write and a later read that both asked at least a quorum, so that
   * their replicas overlap (R + W > N) even when one replica of the pair is new to the key (a
   * membership change, before stabilization filled it). At ONE there is no such overlap: a read
   * at ONE may ask just the new, still empty owner.
   */
  private void staleReads(String key, List<Op> ops, List<Interval> unsafe, List<Violation> out) {
    for (Op w : ops) {
      if (!w.isWrite() || !w.isOk() || w.consistency() == Consistency.ONE) {
        continue;
      }
      int wrote = w.consistency().required(replicas, writeQuorum);
      for (Op r : ops) {
        if (r.op() != KvOp.READ || !r.isOk() || r.consistency() == Consistency.ONE
            || wrote + r.consistency().required(replicas, readQuorum) <= replicas
            || r.invokedMillis() <= w.completedMillis()
            || r.version().compareTo(w.version()) >= 0) {
          continue;
        }
        Interval in = unsafeDuring(unsafe, w.invokedMillis(), r.completedMillis());
        if (in == null) {
          out.add(new Violation(STALE, key, "a " + r.consistency().wireName() + " read that began"
              + " after a " + w.consistency().wireName() + " write completed returned an older"
              + " version", List.of(w, r)));
        }
      }
    }
  }

  private static void writeOrder(String key, List<Op> ops, List<Violation> out) {
    for (Op a : ops) {
      if (!a.isWrite() || !a.isOk()) {
        continue;
      }
      for (Op b : ops) {
        if (b.isWrite() && b.isOk() && b.invokedMillis() > a.completedMillis()
            && b.version().compareTo(a.version()) <= 0) {
          out.add(new Violation(ORDER, key, "a write that began after another completed got"
              + " an older version (it loses to the earlier one)", List.of(a, b)));
        }
      }
    }
  }

  /**
   * Null when {@code value} with {@code version} was written by a write that was not refused,
   * that began no later than {@code notAfterMillis}, and whose acknowledged version (if any) is
   * {@code version}; otherwise what is wrong.
   */
  private static String attribute(List<Op> ops, String value, Version version,
      long notAfterMillis) {
    Op writer = null;
    for (Op w : ops) {
      if (w.isWrite() && w.op() != KvOp.DELETE && w.value().equals(value)) {
        writer = w;
      }
    }
    if (writer == null) {
      return "value '" + value + "' that no write wrote";
    }
    if (writer.outcome() == Outcome.FAIL) {
      return "value '" + value + "' of a write that was refused";
    }
    if (writer.invokedMillis() > notAfterMillis) {
      return "value '" + value + "' before its write began";
    }
    if (writer.isOk() && !writer.version().equals(version)) {
      return "value '" + value + "' with version " + version + ", but its write was"
          + " acknowledged with " + writer.version();
    }
    return null;
  }

  /** Null when a delete that was not refused may have written the tombstone {@code version}. */
  private static String attributeTombstone(List<Op> ops, Version version, long notAfterMillis) {
    for (Op d : ops) {
      if (d.op() == KvOp.DELETE && d.invokedMillis() <= notAfterMillis
          && ((d.isOk() && d.version().equals(version)) || d.outcome() == Outcome.UNKNOWN)) {
        return null;
      }
    }
    return "a tombstone " + version + " that no delete wrote";
  }

  private static Interval unsafeDuring(List<Interval> unsafe, long from, long until) {
    for (Interval i : unsafe) {
      if (i.overlaps(from, until)) {
        return i;
      }
    }
    return null;
  }

  private static List<Op> withWrites(Op read, List<Op> ops, String value) {
    List<Op> out = new ArrayList<>();
    if (read != null) {
      out.add(read);
    }
    for (Op w : ops) {
      if (w.isWrite() && w.value().equals(value) && !value.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private static String describe(Final f) {
    Objects.requireNonNull(f);
    return f.version().equals(Version.ZERO) ? "(absent)"
        : (f.found() ? "'" + f.value() + "'" : "(tombstone)") + " v=" + f.version();
  }
}
