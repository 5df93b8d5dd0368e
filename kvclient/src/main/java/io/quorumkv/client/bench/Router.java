package io.quorumkv.client.bench;

import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.ring.RingConfig;
import io.quorumkv.common.wire.Address;
import java.util.List;
import java.util.Locale;

/**
 * Which node coordinates each request. Any node can coordinate any key, so a route only changes
 * speed, never the outcome: a coordinator that is itself a replica of the key counts its own copy
 * toward the quorum and sends one datagram fewer each way per remote replica it spares.
 */
public sealed interface Router {

  /** The routes {@link #of} knows. */
  List<String> NAMES = List.of("key", "spread", "first");

  /**
   * The node to send attempt {@code attempt} (0 for the first) of a request for {@code key} to.
   * {@code pick} is a random number the request drew once, so that its retries walk on to the
   * next nodes from its first choice.
   */
  Address target(String key, int attempt, int pick);

  /** A name for reports: key, spread or first. */
  String name();

  /**
   * {@code key}: a replica of the key by the ring of {@code members} (at random among the three,
   * so a hot key does not load one node), built as the nodes build theirs: with
   * {@link RingConfig#DEFAULT_VNODES} virtual nodes per member (a node run with another setting
   * still answers correctly, only a little slower). {@code spread}: one of {@code nodes} at
   * random per request. {@code first}: only the first of {@code nodes}, failing over to the next.
   */
  static Router of(String name, List<Address> nodes, List<Address> members) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "key" -> new ByKey(HashRing.of(members), Math.min(RingConfig.DEFAULT_REPLICAS,
          members.size()));
      case "spread" -> new Listed(List.copyOf(nodes), true);
      case "first" -> new Listed(List.copyOf(nodes), false);
      default -> throw new IllegalArgumentException("--route must be key, spread or first, got '"
          + name + "'");
    };
  }

  /** Replicas of the key by the client's copy of the ring. */
  final class ByKey implements Router {
    private final HashRing ring;
    private final int replicas;

    ByKey(HashRing ring, int replicas) {
      this.ring = ring;
      this.replicas = replicas;
    }

    @Override
    public Address target(String key, int attempt, int pick) {
      List<Address> owners = ring.preferenceList(key, replicas);
      return owners.get(Math.floorMod(pick + attempt, owners.size()));
    }

    @Override
    public String name() {
      return "key";
    }
  }

  /** The given nodes: one at random per request ({@code spread}) or the first ({@code first}). */
  record Listed(List<Address> nodes, boolean spread) implements Router {
    @Override
    public Address target(String key, int attempt, int pick) {
      return nodes.get(Math.floorMod((spread ? pick : 0) + attempt, nodes.size()));
    }

    @Override
    public String name() {
      return spread ? "spread" : "first";
    }
  }
}
