package io.quorumkv.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.it.chaos.Disruptions.State;
import io.quorumkv.node.check.Checker.Interval;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nemesis' books: the two-at-most rule, the states, and the unsafe intervals. */
class DisruptionsTest {

  private static final String WHY = "2 nodes disrupted (node 1 killed, node 2 paused)";

  @Test
  void twoDisruptionsAtOnceAreUnsafeUntilOneRecovered() {
    Disruptions d = new Disruptions();
    d.disrupt(1, State.KILLED, 100);
    assertTrue(d.canDisrupt());
    assertEquals(List.of(), d.unsafe(150), "one node down is safe");
    d.disrupt(2, State.PAUSED, 200);
    assertFalse(d.canDisrupt());
    assertEquals(List.of(new Interval(200, 260, WHY)), d.unsafe(260),
        "an open interval ends at the time asked");
    d.recovering(1, 300);
    assertEquals(State.RECOVERING, d.state(1));
    assertFalse(d.canDisrupt(), "a restarted node is disrupted until refilled");
    d.recovering(2, 400);
    d.recovered(2, 500);
    assertTrue(d.canDisrupt());
    d.recovered(1, 700);
    assertNull(d.state(1));
    assertEquals(List.of(new Interval(200, 500, WHY)), d.unsafe(900));
    assertEquals("none", d.describe());
  }

  @Test
  void aThirdDisruptionAndWrongTransitionsAreRefused() {
    Disruptions d = new Disruptions();
    d.disrupt(1, State.KILLED, 0);
    assertThrows(IllegalStateException.class, () -> d.disrupt(1, State.PAUSED, 1));
    assertThrows(IllegalStateException.class, () -> d.recovered(1, 1), "killed, not recovering");
    assertThrows(IllegalArgumentException.class, () -> d.disrupt(2, State.RECOVERING, 1));
    d.disrupt(2, State.PAUSED, 2);
    assertThrows(IllegalStateException.class, () -> d.disrupt(3, State.KILLED, 3));
    assertThrows(IllegalStateException.class, () -> d.recovering(4, 3), "healthy");
    assertEquals(List.of(1), d.in(State.KILLED));
    assertEquals(List.of(2), d.in(State.PAUSED));
    assertEquals(5, d.disruptedFor(2, 7));
  }

  @Test
  void aWholeClusterCrashIsOneUnsafeIntervalUntilTheLastNodeIsBack() {
    Disruptions d = new Disruptions();
    d.disruptAll(List.of(1, 2, 3, 4, 5), 1_000);
    assertEquals(List.of(1, 2, 3, 4, 5), d.in(State.KILLED));
    for (int i = 1; i <= 5; i++) {
      d.recovering(i, 1_010);
    }
    for (int i = 1; i <= 4; i++) {
      d.recovered(i, 2_000);
    }
    assertTrue(d.canDisrupt());
    assertEquals(1, d.unsafe(3_000).size(), "closed once fewer than 2 are disrupted");
    assertEquals(1_000, d.unsafe(3_000).get(0).from());
    assertEquals(2_000, d.unsafe(3_000).get(0).until());
    d.recovered(5, 2_000);
    assertThrows(IllegalStateException.class, () -> {
      d.disrupt(1, State.KILLED, 3_000);
      d.disruptAll(List.of(2, 3), 3_001);
    }, "only a healthy cluster is crashed whole");
  }
}
