package io.quorumkv.common.time;

import static io.quorumkv.common.time.HybridClock.logical;
import static io.quorumkv.common.time.HybridClock.pack;
import static io.quorumkv.common.time.HybridClock.physicalMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HLC rules, step by step, with the wall clock given as a parameter. */
class HybridClockTest {

  /** Runs one table row against the clock and checks the timestamp it returns. */
  private static void step(HybridClock clock, String row) throws ClockDriftException {
    String[] cells = row.trim().split("\\s+");
    long wall = Long.parseLong(cells[1]);
    long got;
    if (cells[0].equals("now")) {
      got = clock.now(wall);
    } else {
      long remote = pack(Long.parseLong(cells[2]), Integer.parseInt(cells[3]));
      got = clock.observe(remote, wall);
    }
    String expected = cells[cells.length - 1];
    assertEquals(expected, HybridClock.format(got), row);
    assertEquals(got, clock.last(), row);
  }

  @Test
  void counterIncrementsWithinAMillisecondAndResetsWhenWallTimeAdvances() throws Exception {
    HybridClock clock = new HybridClock();
    // event  wall   -> physical.logical
    for (String row : new String[] {
        "now   1000  1000.0",
        "now   1000  1000.1",
        "now   1000  1000.2",
        "now   1001  1001.0",
        "now   1005  1005.0",
        "now   1005  1005.1",
    }) {
      step(clock, row);
    }
  }

  @Test
  void staysMonotonicWhenTheWallClockGoesBackwards() throws Exception {
    HybridClock clock = new HybridClock();
    for (String row : new String[] {
        "now   5000  5000.0",
        "now   4000  5000.1",  // wall clock stepped back a second: keep counting on 5000
        "now   4999  5000.2",
        "now   5000  5000.3",
        "now   5001  5001.0",  // the wall clock caught up: back to physical time
    }) {
      step(clock, row);
    }
  }

  @Test
  void observingARemoteTimestampMovesUsPastIt() throws Exception {
    HybridClock clock = new HybridClock();
    // event      wall   remote       -> physical.logical
    for (String row : new String[] {
        "now      1000                1000.0",
        "observe  1001   1005 3       1005.4",  // remote ahead: jump past it
        "now      1002                1005.5",  // our wall is still behind: keep counting
        "observe  1004   1003 9       1005.6",  // remote behind us: just tick
        "observe  1004   1005 10      1005.11", // same physical, higher counter: pass it
        "observe  1004   1005 2       1005.12",
        "observe  1010   1005 0       1010.0",  // wall clock is ahead of both: physical time
        "observe  1010   1010 0       1010.1",  // equal to ours and the wall: tick
    }) {
      step(clock, row);
    }
  }

  @Test
  void aFullCounterCarriesIntoThePhysicalPart() throws Exception {
    HybridClock seeded = new HybridClock(HybridClock.DEFAULT_MAX_DRIFT_MILLIS,
        pack(1000, HybridClock.MAX_LOGICAL - 1));
    step(seeded, "now 1000 1000.65535");
    step(seeded, "now 1000 1001.0");     // 65,536 events in one millisecond: run 1 ms ahead
    step(seeded, "now 1000 1001.1");
    step(seeded, "now 1001 1001.2");     // the wall clock has not passed us yet
    step(seeded, "now 1002 1002.0");

    HybridClock fresh = new HybridClock();
    step(fresh, "observe 1000 1000 65535 1001.0");
  }

  @Test
  void refusesARemoteTooFarAheadAndStaysUnchanged() throws Exception {
    HybridClock clock = new HybridClock(60_000);
    long before = clock.now(1_000_000);

    ClockDriftException refused = assertThrows(ClockDriftException.class,
        () -> clock.observe(pack(1_060_001, 0), 1_000_000));
    assertEquals(pack(1_060_001, 0), refused.remoteTimestamp());
    assertEquals(1_000_000, refused.wallMillis());
    assertEquals(60_001, refused.aheadMillis());
    assertEquals(before, clock.last());
    assertThrows(ClockDriftException.class,
        () -> clock.observe(pack(HybridClock.MAX_PHYSICAL_MILLIS, 7), 1_000_000));
    assertEquals(before, clock.last());

    // Exactly maxDrift ahead is still accepted.
    assertEquals(pack(1_060_000, 1), clock.observe(pack(1_060_000, 0), 1_000_000));
  }

  @Test
  void acceptsAnOldRemoteEvenWhenOurWallClockFellFarBehind() throws Exception {
    // Our own clock ran to 5,000,000 (say, before an NTP step back); a remote echoing a timestamp
    // we already passed cannot move us, so the drift check does not apply to it.
    HybridClock clock = new HybridClock(60_000, pack(5_000_000, 0));
    assertEquals(pack(5_000_000, 1), clock.observe(pack(4_000_000, 0), 1_000_000));
    assertEquals(pack(5_000_000, 2), clock.observe(pack(5_000_000, 1), 1_000_000));
  }

  @Test
  void neverGoesBackwardsOverASeededRandomRun() throws Exception {
    HybridClock clock = new HybridClock(1_000);
    SplittableRandom random = new SplittableRandom(99);
    long wall = 1_000_000;
    long previous = 0;
    for (int i = 0; i < 20_000; i++) {
      wall = Math.max(0, wall + random.nextInt(-50, 60)); // jittery, sometimes backwards
      long got;
      if (random.nextBoolean()) {
        got = clock.now(wall);
      } else {
        long remote = pack(Math.max(0, wall + random.nextInt(-2_000, 1_500)),
            random.nextInt(HybridClock.MAX_LOGICAL + 1));
        try {
          got = clock.observe(remote, wall);
        } catch (ClockDriftException e) {
          assertTrue(physicalMillis(remote) - wall > 1_000, e.getMessage());
          continue;
        }
        assertTrue(Long.compareUnsigned(got, remote) > 0, "past the remote");
      }
      assertTrue(Long.compareUnsigned(got, previous) > 0, "strictly increasing at step " + i);
      assertTrue(physicalMillis(got) >= wall, "never behind the wall clock");
      previous = got;
    }
  }

  @ParameterizedTest(name = "pack({0}, {1})")
  @CsvSource({
      "0,               0",
      "1700000000000,   3",
      "1700000000000,   65535",
      "281474976710655, 65535", // both parts full: every bit set
  })
  void packsAndUnpacks(long physical, int counter) {
    long timestamp = pack(physical, counter);
    assertEquals(physical, physicalMillis(timestamp));
    assertEquals(counter, logical(timestamp));
    assertEquals(physical + "." + counter, HybridClock.format(timestamp));
  }

  @Test
  void physicalPartRunsToTheYear10889() {
    assertEquals(10_889, Instant.ofEpochMilli(HybridClock.MAX_PHYSICAL_MILLIS)
        .atZone(ZoneOffset.UTC).getYear());
    assertEquals(-1L, pack(HybridClock.MAX_PHYSICAL_MILLIS, HybridClock.MAX_LOGICAL));
  }

  @Test
  void aLateTimestampWithTheTopBitSetStillCountsAsLater() {
    // After the year 6429 a timestamp's long is negative; the clock compares unsigned.
    long late = pack(1L << 47, 0);
    assertTrue(late < 0);
    HybridClock clock = new HybridClock(HybridClock.DEFAULT_MAX_DRIFT_MILLIS, late);
    assertEquals(late + 1, clock.now(1_000));
  }

  @Test
  void rejectsBadArgumentsAndAnExhaustedClock() {
    HybridClock clock = new HybridClock();
    assertThrows(IllegalArgumentException.class, () -> clock.now(-1));
    assertThrows(IllegalArgumentException.class,
        () -> clock.now(HybridClock.MAX_PHYSICAL_MILLIS + 1));
    assertThrows(IllegalArgumentException.class, () -> pack(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> pack(0, HybridClock.MAX_LOGICAL + 1));
    assertThrows(IllegalArgumentException.class, () -> pack(0, -1));
    assertThrows(IllegalArgumentException.class, () -> new HybridClock(-1));

    HybridClock exhausted = new HybridClock(HybridClock.DEFAULT_MAX_DRIFT_MILLIS, -1L);
    assertThrows(IllegalStateException.class, () -> exhausted.now(1_000));
    assertEquals(-1L, exhausted.last());
  }
}
