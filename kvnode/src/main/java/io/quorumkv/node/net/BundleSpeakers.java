package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The addresses that sent this node a {@link io.quorumkv.common.wire.Bundle} lately, and so read
 * one: a client that coalesces its requests (kvclient's bench) may get its answers coalesced
 * too, while a client that sends one message at a time keeps getting one message a datagram.
 * Bounded, least recently heard first out; an address forgotten only loses the coalescing until
 * its next bundle. Used by the loop thread only.
 */
final class BundleSpeakers {

  /**
   * Most addresses remembered. Every peer node is one, and a bench client is one: 4,096 covers
   * a large cluster with its clients at 48 bytes an entry or so.
   */
  static final int CAPACITY = 4096;

  private final Map<Address, Boolean> heard = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Address, Boolean> eldest) {
      return size() > CAPACITY;
    }
  };

  /** {@code from} sent a well-formed bundle. */
  void heard(Address from) {
    heard.put(from, Boolean.TRUE);
  }

  /** True when {@code to} sent a bundle and is still remembered. */
  boolean speaks(Address to) {
    return heard.containsKey(to);
  }

  int size() {
    return heard.size();
  }
}
