package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whether a node counts as busy: by the requests of the last full window before now alone, at
 * least {@link RequestLoad#BUSY_REQUESTS_PER_SECOND} of them, windows aligned on multiples of
 * {@link RequestLoad#WINDOW_MILLIS}.
 */
class RequestLoadTest {

  private static final long W = RequestLoad.WINDOW_MILLIS;
  private static final int BUSY = RequestLoad.BUSY_REQUESTS_PER_SECOND;
  /** An arbitrary whole window, far from 0, as a node's clock reads. */
  private static final long T = 1_000_000_000L * W;

  static Stream<Arguments> table() {
    return Stream.of(
        // requests, spread evenly over [from, to), then asked at: busy?
        Arguments.of("nothing counted yet", 0, T, T, T, false),
        Arguments.of("one below the threshold", BUSY - 1, T, T + W, T + W, false),
        Arguments.of("exactly at the threshold", BUSY, T, T + W, T + W, true),
        Arguments.of("far above it", 10 * BUSY, T, T + W, T + W, true),
        Arguments.of("the current window does not count yet", 10 * BUSY, T, T + W, T + W - 1,
            false),
        Arguments.of("busy through the whole next window", BUSY, T, T + W, T + 2 * W - 1, true),
        Arguments.of("at the rollover after that, the busy window is no longer the last", BUSY,
            T, T + W, T + 2 * W, false),
        Arguments.of("an idle gap of several windows", 10 * BUSY, T, T + W, T + 5 * W + 7,
            false),
        Arguments.of("enough over two windows, not in either", 2 * BUSY - 2, T, T + 2 * W,
            T + 2 * W, false),
        Arguments.of("all in the window's last millisecond", BUSY, T + W - 1, T + W, T + W,
            true),
        Arguments.of("windows align on the clock, not on the first request", BUSY, T + W / 2,
            T + W / 2 + 1, T + W, true));
  }

  /** Asked between requests too (as anti-entropy's ticks ask), the verdict is the same. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void busyByTheLastFullWindow(String why, int requests, long fromMillis, long toMillis,
      long askedAtMillis, boolean busy) {
    RequestLoad load = new RequestLoad();
    RequestLoad asked = new RequestLoad();
    for (int i = 0; i < requests; i++) {
      long at = fromMillis + i * (toMillis - fromMillis) / requests;
      load.record(at);
      asked.busy(at);
      asked.record(at);
    }
    assertEquals(busy, load.busy(askedAtMillis), why);
    assertEquals(busy, asked.busy(askedAtMillis), why + ", asked between requests");
  }
}
