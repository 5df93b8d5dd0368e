package io.quorumkv.node.membership;

import static io.quorumkv.common.wire.MemberState.ALIVE;
import static io.quorumkv.common.wire.MemberState.DEAD;
import static io.quorumkv.common.wire.MemberState.LEFT;
import static io.quorumkv.common.wire.MemberState.SUSPECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberUpdate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SWIM merge rule, as a table: held fact, incoming fact, does the incoming one win? */
class PrecedenceTest {

  private static final Address A = new Address("127.0.0.1", 7001);

  static Stream<Arguments> table() {
    return Stream.of(
        // same generation, same incarnation: worse news wins, equal news does not
        row(1, 0, ALIVE, 1, 0, ALIVE, false),
        row(1, 0, ALIVE, 1, 0, SUSPECT, true),
        row(1, 0, ALIVE, 1, 0, DEAD, true),
        row(1, 0, SUSPECT, 1, 0, ALIVE, false),
        row(1, 0, SUSPECT, 1, 0, SUSPECT, false),
        row(1, 0, SUSPECT, 1, 0, DEAD, true),
        row(1, 0, DEAD, 1, 0, SUSPECT, false),
        row(1, 0, DEAD, 1, 0, ALIVE, false),
        row(1, 0, DEAD, 1, 0, LEFT, true),
        row(1, 0, LEFT, 1, 0, DEAD, false),
        // a higher incarnation wins whatever it says: the member refuted or moved on
        row(1, 0, SUSPECT, 1, 1, ALIVE, true),
        row(1, 0, DEAD, 1, 1, ALIVE, true),
        row(1, 3, ALIVE, 1, 4, SUSPECT, true),
        // a lower incarnation never wins, even with worse news
        row(1, 2, ALIVE, 1, 1, SUSPECT, false),
        row(1, 2, ALIVE, 1, 1, DEAD, false),
        row(1, 2, SUSPECT, 1, 1, LEFT, false),
        // a newer generation beats anything about an older life, and never the reverse
        row(1, 9, DEAD, 2, 0, ALIVE, true),
        row(1, 9, ALIVE, 2, 0, SUSPECT, true),
        row(2, 0, ALIVE, 1, 9, DEAD, false),
        row(2, 0, DEAD, 1, 99, ALIVE, false));
  }

  private static Arguments row(long heldGen, long heldInc, MemberState held, long gen, long inc,
      MemberState state, boolean wins) {
    return Arguments.of(new Member(A, heldGen, heldInc, held, 0),
        new MemberUpdate(A, gen, inc, state), wins);
  }

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @MethodSource("table")
  void mergeRule(Member held, MemberUpdate incoming, boolean wins) {
    assertEquals(wins, Precedence.overrides(held, incoming));
  }

  @Test
  void anythingBeatsNothing() {
    for (MemberState state : MemberState.values()) {
      assertTrue(Precedence.overrides(null, new MemberUpdate(A, 1, 0, state)));
    }
  }
}
