package io.quorumkv.node.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import org.junit.jupiter.api.Test;

/** Lifeguard's confirmation-driven suspicion timeout. */
class SuspicionTest {

  private static final Address A = new Address("127.0.0.1", 7001);
  private static final Address B = new Address("127.0.0.1", 7002);
  private static final Address C = new Address("127.0.0.1", 7003);
  private static final Address D = new Address("127.0.0.1", 7004);

  @Test
  void unconfirmedSuspicionWaitsTheMaximum() {
    Suspicion s = new Suspicion(0, 1000, 600, 1800, 2, A);
    assertEquals(1000 + 1800, s.deadlineMillis());
  }

  @Test
  void confirmationsShrinkTheTimeoutLogarithmicallyDownToTheMinimum() {
    Suspicion s = new Suspicion(0, 1000, 600, 1800, 2, A);
    assertTrue(s.confirm(B));
    // one of two expected: max - (max - min) * log(2) / log(3) = 1800 - 1200 * 0.6309 = 1042.9
    assertEquals(1000 + 1042, s.deadlineMillis());
    assertTrue(s.confirm(C));
    assertEquals(1000 + 600, s.deadlineMillis());
    assertFalse(s.confirm(D), "confirmations beyond the expected number change nothing");
    assertEquals(1000 + 600, s.deadlineMillis());
  }

  @Test
  void theSameReporterCountsOnce() {
    Suspicion s = new Suspicion(0, 0, 600, 1800, 2, A);
    assertFalse(s.confirm(A));
    assertTrue(s.confirm(B));
    assertFalse(s.confirm(B));
    assertEquals(1042, s.deadlineMillis());
  }

  @Test
  void tinyClustersExpectNoConfirmationAndUseTheMinimum() {
    Suspicion s = new Suspicion(0, 50, 600, 1800, 0, A);
    assertEquals(650, s.deadlineMillis());
  }
}
