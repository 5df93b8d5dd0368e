package io.quorumkv.node.emul;

import io.quorumkv.node.Node;

/**
 * A live node on the emulated network, its clock's offset from the network's, and the earliest
 * wake-up already queued for it (in network time). Owned by {@link Hosts}.
 */
final class Host {

  final Node node;
  final long clockOffsetMillis;
  long queuedWakeup = Long.MAX_VALUE;

  Host(Node node, long clockOffsetMillis) {
    this.node = node;
    this.clockOffsetMillis = clockOffsetMillis;
  }

  /** The network time {@code networkMillis} as this node's clock reads it. */
  long local(long networkMillis) {
    return networkMillis + clockOffsetMillis;
  }
}
