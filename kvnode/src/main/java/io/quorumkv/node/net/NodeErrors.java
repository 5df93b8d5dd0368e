package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.Counters;

/**
 * What {@link UdpEventLoop} does with a {@link RuntimeException} from the node (or a hook, or the
 * receive filter): counts it in {@code loop.errors} and logs it, the first with its stack trace
 * and later ones at most once per {@link #ERROR_LOG_PERIOD_MILLIS}, so that a node that throws on
 * every datagram does not flood its log while the loop goes on. Used only by the loop thread.
 */
final class NodeErrors {

  /** After the first node error (logged with its stack trace), at most one line per this period. */
  private static final long ERROR_LOG_PERIOD_MILLIS = 10_000;

  // The loop's own logger: these lines are the loop's, and operators read them under its name.
  private static final System.Logger LOG = System.getLogger(UdpEventLoop.class.getName());

  private final Counters counters;
  private final Address address;
  private final LoopClock clock;
  private long nodeErrors;
  private long lastErrorLogMillis;

  NodeErrors(Counters counters, Address address, LoopClock clock) {
    this.counters = counters;
    this.address = address;
    this.clock = clock;
  }

  /** Counts {@code e} and logs it unless a line was logged less than a period ago. */
  void onNodeError(RuntimeException e) {
    counters.increment("loop.errors");
    nodeErrors++;
    long now = clock.now();
    if (nodeErrors == 1) {
      LOG.log(System.Logger.Level.ERROR, "node " + address + " threw; the loop goes on"
          + " (later errors are counted in loop.errors and summarized)", e);
      lastErrorLogMillis = now;
    } else if (now - lastErrorLogMillis >= ERROR_LOG_PERIOD_MILLIS) {
      LOG.log(System.Logger.Level.WARNING,
          "node " + address + " has thrown " + nodeErrors + " times; latest: " + e);
      lastErrorLogMillis = now;
    }
  }
}
