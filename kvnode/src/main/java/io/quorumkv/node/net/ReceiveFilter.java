package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;

/**
 * Decides, in the driver, whether a received datagram reaches the node. Faults are injected here,
 * as a decorator of the transport, so the node itself never branches on test-only settings.
 */
@FunctionalInterface
public interface ReceiveFilter {

  /** True if the datagram of {@code length} bytes from {@code from} is handed to the node. */
  boolean admits(Address from, int length);

  /** Admits everything: production behaviour. */
  ReceiveFilter ALL = (from, length) -> true;
}
