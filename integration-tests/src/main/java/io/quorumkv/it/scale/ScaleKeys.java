package io.quorumkv.it.scale;

import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.wire.Address;
import io.quorumkv.node.KvConfig;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys and values the scale runs store, and where they belong: key i is
 * {@code key-000000000042} (16 bytes), its value 100 bytes of ASCII that start with its number,
 * so every key and value is distinct and as long as the figures say. Placement is the nodes'
 * own ring (the local preset's positions per member and replicas), so the tool knows how many
 * keys each node must hold once replication is complete.
 */
final class ScaleKeys {

  static final int KEY_BYTES = 16;
  static final int VALUE_BYTES = 100;
  /** Largest key count: the key's 12 digits, and far beyond what a 2-core machine loads. */
  static final long MAX_KEYS = 10_000_000;

  private static final String FILLER = "abcdefghijklmnopqrstuvwxyz".repeat(4);

  private ScaleKeys() {
  }

  /** Key {@code i}, 0-based: "key-" and 12 digits. */
  static String key(long i) {
    return String.format("key-%012d", i);
  }

  /** Key {@code i}'s value: "value-", 12 digits, "-", then letters up to 100 bytes. */
  static String value(long i) {
    String head = String.format("value-%012d-", i);
    return head + FILLER.substring(0, VALUE_BYTES - head.length());
  }

  /** The ring every node of {@code members} builds when it sees exactly them (local preset). */
  static HashRing ring(Collection<Address> members) {
    return HashRing.of(members, KvConfig.local().vnodesPerMember());
  }

  /** The owners of key {@code i}, primary first, on {@code ring}. */
  static List<Address> owners(HashRing ring, long i) {
    return ring.preferenceList(key(i), KvConfig.local().replicas());
  }

  /**
   * How many of keys 0 to {@code keys - 1} each member owns on the ring of {@code members}:
   * what its {@code storage.keys} reads once every key is on its replicas. The counts add up to
   * the replicas times the keys (with at least that many members).
   */
  static Map<Address, Long> ownedCounts(Collection<Address> members, long keys) {
    HashRing ring = ring(members);
    Map<Address, Long> counts = new TreeMap<>();
    members.forEach(m -> counts.put(m, 0L));
    for (long i = 0; i < keys; i++) {
      for (Address owner : owners(ring, i)) {
        counts.merge(owner, 1L, Long::sum);
      }
    }
    return counts;
  }
}
