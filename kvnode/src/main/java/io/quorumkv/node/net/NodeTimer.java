package io.quorumkv.node.net;

import io.quorumkv.node.Node;
import java.io.IOException;
import java.nio.channels.Selector;

/**
 * The node's single timer in {@link UdpEventLoop}: its wake-up time ({@link Node#nextWakeup()}),
 * and the wait on the selector until that time comes or a datagram arrives. Used only by the
 * loop thread.
 */
final class NodeTimer {

  private final Node node;
  private final Selector selector;
  private final NodeErrors errors;
  private final LoopClock clock;

  NodeTimer(Node node, Selector selector, NodeErrors errors, LoopClock clock) {
    this.node = node;
    this.selector = selector;
    this.errors = errors;
    this.clock = clock;
  }

  /** Waits on the selector until a datagram arrives or the node's wake-up time comes. */
  void waitForWork() throws IOException {
    long wakeup = nextWakeup();
    long now = clock.now();
    if (wakeup == Long.MAX_VALUE) {
      selector.select();
    } else if (wakeup <= now) {
      selector.selectNow();
    } else {
      selector.select(wakeup - now);
    }
    // One channel: the keys are not inspected, receiveBatch simply reads until the socket is empty.
    selector.selectedKeys().clear();
  }

  /** The node's wake-up time; if asking throws, the error is counted and asked again in 1 s. */
  long nextWakeup() {
    try {
      return node.nextWakeup();
    } catch (RuntimeException e) {
      errors.onNodeError(e);
      return clock.now() + 1000;
    }
  }
}
