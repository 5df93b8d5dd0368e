package io.quorumkv.common.time;

/**
 * A hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014): timestamps
 * that follow the wall clock, never go backwards, and always move past every timestamp this node
 * has seen in a message, so a write that causally follows another gets a larger timestamp.
 *
 * <p>Layout. A timestamp is one {@code long}: the high 48 bits are physical milliseconds since
 * the Unix epoch, the low 16 bits a logical counter.
 * <pre>
 *   63                                            16 15             0
 *   +-----------------------------------------------+----------------+
 *   |        physical milliseconds (48 bits)        | logical (16)   |
 *   +-----------------------------------------------+----------------+
 * </pre>
 * Timestamps are compared as unsigned numbers ({@link Long#compareUnsigned}), so the physical part
 * runs to 2^48 - 1 ms, late in the year 10889; past the year 6429 the top bit is set and the
 * {@code long} reads as negative, which is why comparisons must never be signed. Packing both
 * parts into one number makes the HLC rules plain arithmetic: "advance" is {@code +1}, and a
 * logical counter that would pass 65,535 carries into the physical part, i.e. the clock then runs
 * one millisecond ahead of the wall clock until the wall clock catches up. That needs more than
 * 65,536 events within one millisecond, far beyond what one node does.
 *
 * <p>Sans-IO: the wall clock is a parameter of every call, so the emulator drives this clock with
 * simulated time and the production loop with the real one. One instance belongs to one node and
 * one thread; it is not thread-safe.
 *
 * <p>Wild clocks. A remote timestamp more than {@code maxDriftMillis} ahead of our own wall clock
 * is refused with a {@link ClockDriftException} and leaves this clock untouched: without the check,
 * one node whose clock reads next year would drag every clock it talks to into next year, and
 * every later write in the cluster would carry that future timestamp. See
 * {@link #DEFAULT_MAX_DRIFT_MILLIS}.
 */
public final class HybridClock {

  /** Bits of the logical counter, the low part of a timestamp. */
  public static final int LOGICAL_BITS = 16;

  /** Largest logical counter, 65,535. */
  public static final int MAX_LOGICAL = (1 << LOGICAL_BITS) - 1;

  /** Largest physical part, 2^48 - 1 ms after the epoch: in the year 10889. */
  public static final long MAX_PHYSICAL_MILLIS = (1L << (Long.SIZE - LOGICAL_BITS)) - 1;

  /**
   * Default tolerance for a remote timestamp ahead of our wall clock: one minute. Clocks under NTP
   * agree within milliseconds, so a minute leaves room for a badly synchronized host and a
   * paused VM without accepting the hours or years of a broken clock. Raising it lets a wrong
   * clock pull the cluster further into the future (writes from correct clocks then lose to it
   * for that long); lowering it below real skew makes healthy nodes refuse each other's messages.
   */
  public static final long DEFAULT_MAX_DRIFT_MILLIS = 60_000;

  private final long maxDriftMillis;
  /** The last timestamp issued, 0 before the first; compared unsigned. */
  private long last;

  /** A clock with the default drift tolerance that has issued nothing yet. */
  public HybridClock() {
    this(DEFAULT_MAX_DRIFT_MILLIS, 0L);
  }

  /** A clock with this drift tolerance in milliseconds that has issued nothing yet. */
  public HybridClock(long maxDriftMillis) {
    this(maxDriftMillis, 0L);
  }

  /**
   * A clock whose next timestamp is greater than {@code startAfter}: a restarting node passes the
   * largest timestamp it wrote before, so it never issues the same timestamp twice.
   */
  public HybridClock(long maxDriftMillis, long startAfter) {
    if (maxDriftMillis < 0 || maxDriftMillis > MAX_PHYSICAL_MILLIS) {
      throw new IllegalArgumentException(
          "maxDriftMillis must be in 0.." + MAX_PHYSICAL_MILLIS + ", got " + maxDriftMillis);
    }
    this.maxDriftMillis = maxDriftMillis;
    this.last = startAfter;
  }

  /**
   * A timestamp for a local event or a send: the later of "just after the last one" and "the wall
   * clock with a zero counter". Monotonic even when the wall clock goes backwards.
   */
  public long now(long wallMillis) {
    long wall = pack(checkWall(wallMillis), 0);
    last = later(advance(last), wall);
    return last;
  }

  /**
   * Takes in a timestamp received in a message and returns a timestamp for the receive event,
   * greater than both {@code remote} and every timestamp issued before.
   *
   * @throws ClockDriftException if {@code remote} is later than anything we issued and its
   *     physical part is more than {@code maxDriftMillis} ahead of {@code wallMillis}; the clock
   *     is unchanged and the caller drops (and counts) the message. A remote timestamp we have
   *     already passed cannot move us, so it is accepted however far it is from our wall clock.
   */
  public long observe(long remote, long wallMillis) throws ClockDriftException {
    long wall = pack(checkWall(wallMillis), 0);
    if (Long.compareUnsigned(remote, last) > 0) {
      long ahead = physicalMillis(remote) - wallMillis;
      if (ahead > maxDriftMillis) {
        throw new ClockDriftException(remote, wallMillis, ahead, maxDriftMillis);
      }
    }
    last = later(advance(later(last, remote)), wall);
    return last;
  }

  /** The last timestamp issued, or the starting point if none was. */
  public long last() {
    return last;
  }

  public long maxDriftMillis() {
    return maxDriftMillis;
  }

  /** The physical part of a timestamp: milliseconds since the epoch. */
  public static long physicalMillis(long timestamp) {
    return timestamp >>> LOGICAL_BITS;
  }

  /** The logical part of a timestamp: 0 to {@link #MAX_LOGICAL}. */
  public static int logical(long timestamp) {
    return (int) (timestamp & MAX_LOGICAL);
  }

  /** The timestamp with these parts. */
  public static long pack(long physicalMillis, int logical) {
    if (physicalMillis < 0 || physicalMillis > MAX_PHYSICAL_MILLIS) {
      throw new IllegalArgumentException(
          "physical millis must be in 0.." + MAX_PHYSICAL_MILLIS + ", got " + physicalMillis);
    }
    if (logical < 0 || logical > MAX_LOGICAL) {
      throw new IllegalArgumentException(
          "logical must be in 0.." + MAX_LOGICAL + ", got " + logical);
    }
    return (physicalMillis << LOGICAL_BITS) | logical;
  }

  /** "physical.logical", e.g. "1700000000000.3", for logs. */
  public static String format(long timestamp) {
    return physicalMillis(timestamp) + "." + logical(timestamp);
  }

  private static long checkWall(long wallMillis) {
    if (wallMillis < 0 || wallMillis > MAX_PHYSICAL_MILLIS) {
      throw new IllegalArgumentException(
          "wall clock must be in 0.." + MAX_PHYSICAL_MILLIS + " ms, got " + wallMillis);
    }
    return wallMillis;
  }

  /** The next timestamp after {@code timestamp}; the counter carries into the physical part. */
  private static long advance(long timestamp) {
    if (timestamp == -1L) {
      // Every bit set: the year 10889 has come. Wrapping to 0 would break monotonicity.
      throw new IllegalStateException("hybrid clock exhausted at " + format(timestamp));
    }
    return timestamp + 1;
  }

  private static long later(long a, long b) {
    return Long.compareUnsigned(a, b) >= 0 ? a : b;
  }
}
