package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The coordinator's timers come out in order of due time, then of id, exactly as the heap of
 * (due, id) pairs they replace, wherever each timer is kept (a lane or the heap).
 */
class TimerQueueTest {

  /**
   * A script: {@code NOW/DELAY/ID} adds a timer, {@code p} polls one and prints
   * {@code DUE:ID} (the due time {@link TimerQueue#nextDue()} reported before the poll).
   */
  @ParameterizedTest(name = "lanes {0}: {1}")
  @CsvSource(delimiter = ';', value = {
      "100; 0/100/1 5/100/2 p p; 100:1 105:2", // one lane is first in, first out
      "100 20; 0/100/1 0/20/1 10/20/2 p p p; 20:1 30:2 100:1", // the least of the lanes' heads
      "100 50; 0/100/7 50/50/3 p p; 100:3 100:7", // a tie across lanes goes to the smaller id
      "100; 0/100/9 0/100/4 p p; 100:4 100:9", // a tie within a lane too (the 4 goes to the heap)
      "100; 0/70/5 0/100/6 0/30/8 p p p; 30:8 70:5 100:6", // delays without a lane: the heap
      "100; 10/100/1 0/100/2 p p; 100:2 110:1", // a clock that went back
      "100; 0/100/1 0/100/1 p p; 100:1 100:1", // the same timer twice comes up twice
      "100 100 20; 0/100/1 0/20/2 p 30/100/3 p p; 20:2 100:1 130:3", // repeated delays, one lane
      "; 0/100/2 0/100/1 p p; 100:1 100:2", // no lanes at all: a plain heap
  })
  void pollsInOrderOfDueTimeThenId(String lanes, String script, String expected) {
    TimerQueue timers = new TimerQueue(longs(lanes));
    List<String> out = new ArrayList<>();
    for (String step : script.trim().split(" +")) {
      if (step.equals("p")) {
        long due = timers.nextDue();
        out.add(due + ":" + timers.poll());
      } else {
        long[] t = Arrays.stream(step.split("/")).mapToLong(Long::parseLong).toArray();
        timers.add(t[0], t[1], t[2]);
      }
    }
    assertEquals(expected.trim(), String.join(" ", out));
    assertTrue(timers.isEmpty());
  }

  @Test
  void anEmptyQueueHasNoDueTimeAndNothingToPoll() {
    TimerQueue timers = new TimerQueue(100);
    assertEquals(Long.MAX_VALUE, timers.nextDue());
    assertEquals(0, timers.size());
    assertThrows(IllegalStateException.class, timers::poll);
  }

  /**
   * The property behind the table: over seeded random runs mixing lane and other delays, ties,
   * repeats and a clock that sometimes goes back, every due time and id matches the heap's.
   */
  @Test
  void matchesAHeapOfDueAndIdPairs() {
    long[] laneDelays = {1000, 200, 20};
    long[] otherDelays = {1, 150, 5000};
    for (long seed = 1; seed <= 30; seed++) {
      Random random = new Random(seed);
      TimerQueue timers = new TimerQueue(laneDelays);
      PriorityQueue<long[]> heap = new PriorityQueue<>(
          (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      long now = 0;
      for (int step = 0; step < 5_000; step++) {
        now += random.nextInt(100) < 3 ? -random.nextInt(50) : random.nextInt(3);
        for (int n = random.nextInt(4); n > 0; n--) {
          long delay = random.nextInt(10) == 0 ? otherDelays[random.nextInt(otherDelays.length)]
              : laneDelays[random.nextInt(laneDelays.length)];
          long id = 1 + random.nextInt(step + 1); // older ids recur, as retransmits do
          timers.add(now, delay, id);
          heap.add(new long[] {now + delay, id});
        }
        while (!heap.isEmpty() && heap.peek()[0] <= now) {
          assertEquals(heap.peek()[0], timers.nextDue(), "seed " + seed + " step " + step);
          assertEquals(heap.poll()[1], timers.poll(), "seed " + seed + " step " + step);
        }
        assertEquals(heap.isEmpty() ? Long.MAX_VALUE : heap.peek()[0], timers.nextDue());
        assertEquals(heap.size(), timers.size());
      }
    }
  }

  /**
   * A steady load, as a coordinator's under bench (32 requests in flight, each with a deadline
   * and a retransmit), reuses the lanes' slots: 100,000 timers need no more than the busiest
   * moment held.
   */
  @Test
  void aSteadyLoadStaysWithinTheTimersItHoldsAtOnce() {
    TimerQueue timers = new TimerQueue(1000, 200);
    int most = 0;
    long id = 1;
    for (long now = 0; id <= 50_000; now++) {
      while (timers.nextDue() <= now) {
        timers.poll();
      }
      // About 32 requests live in any 1000 ms: one begins every 31 ms.
      if (now % 31 == 0) {
        timers.add(now, 1000, id);
        timers.add(now, 200, id++);
      }
      most = Math.max(most, timers.size());
    }
    assertTrue(most <= 2 * 33, "held " + most);
    assertTrue(timers.capacity() <= 4 * most,
        "slots " + timers.capacity() + " for at most " + most + " timers at once");
  }

  private static long[] longs(String text) {
    return text == null || text.isBlank() ? new long[0]
        : Arrays.stream(text.trim().split(" +")).mapToLong(Long::parseLong).toArray();
  }
}
