package io.quorumkv.node.emul;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.node.Counters;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The inboxes of emulated clients: addresses that are not nodes, whose datagrams tests inject and
 * which collect what nodes send back, decoded, so KV tests can act as clients, or hand it to a
 * handler at once. Bounded per client.
 */
final class ClientInboxes {

  private final Codec codec;
  private final Counters stats;
  private final int capacity;
  private final TreeMap<Address, List<Received>> inboxes = new TreeMap<>();
  private final TreeMap<Address, Consumer<Received>> handlers = new TreeMap<>();

  ClientInboxes(Codec codec, Counters stats, int capacity) {
    this.codec = codec;
    this.stats = stats;
    this.capacity = capacity;
  }

  /** Makes {@code client} a known client (idempotent). */
  void register(Address client) {
    inboxes.computeIfAbsent(client, a -> new ArrayList<>());
  }

  boolean isClient(Address address) {
    return inboxes.containsKey(address);
  }

  /**
   * Hands what {@code client} receives from now on to {@code handler}, at once, instead of
   * keeping it: a simulated client reacts to its answers in simulated time.
   */
  void handle(Address client, Consumer<Received> handler) {
    register(client);
    handlers.put(client, handler);
  }

  /** A datagram reached {@code client}: decode and keep it, or count why not. */
  void deliver(long now, Address client, Address from, byte[] bytes) {
    List<Received> inbox = inboxes.get(client);
    Decoded decoded = codec.decode(bytes);
    Consumer<Received> handler = handlers.get(client);
    if (!(decoded instanceof Decoded.Ok ok)) {
      stats.increment("client.rejected");
    } else if (handler != null) {
      stats.increment("net.delivered");
      handler.accept(new Received(now, from, ok.envelope()));
    } else if (inbox.size() >= capacity) {
      stats.increment("client.overflow");
    } else {
      stats.increment("net.delivered");
      inbox.add(new Received(now, from, ok.envelope()));
    }
  }

  List<Received> received(Address client) {
    return List.copyOf(inboxes.getOrDefault(client, List.of()));
  }

  List<Received> drain(Address client) {
    List<Received> inbox = inboxes.get(client);
    if (inbox == null) {
      return List.of();
    }
    List<Received> out = List.copyOf(inbox);
    inbox.clear();
    return out;
  }
}
