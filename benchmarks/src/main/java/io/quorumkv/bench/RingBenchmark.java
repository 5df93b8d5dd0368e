package io.quorumkv.bench;

import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.ring.KeyHash;
import io.quorumkv.common.wire.Address;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A key's 3 replicas on rings of 3, 10 and 100 members with the default 128 virtual nodes: once
 * from the key (SHA-256 of its bytes, then the lookup), as a coordinator does per request, and
 * once from a precomputed token, to tell the hash from the search and walk.
 */
@State(Scope.Benchmark)
public class RingBenchmark extends ShortRun {

  /** Keys cycled through, so the branch predictor and caches cannot learn one lookup. */
  private static final int KEYS = 1024;

  @Param({"3", "10", "100"})
  public int nodes;

  private HashRing ring;
  private final String[] keys = new String[KEYS];
  private final long[] tokens = new long[KEYS];
  private int next;

  @Setup
  public void setUp() {
    List<Address> members = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      members.add(new Address("10.0." + (i / 250) + "." + (1 + i % 250), 7000));
    }
    ring = HashRing.of(members);
    for (int i = 0; i < KEYS; i++) {
      keys[i] = String.format("user:%011d", i * 7919L);
      tokens[i] = KeyHash.of(keys[i]);
    }
  }

  @Benchmark
  public List<Address> replicasOfKey() {
    next = (next + 1) & (KEYS - 1);
    return ring.preferenceList(keys[next], 3);
  }

  @Benchmark
  public List<Address> replicasOfToken() {
    next = (next + 1) & (KEYS - 1);
    return ring.preferenceListForToken(tokens[next], 3);
  }
}
