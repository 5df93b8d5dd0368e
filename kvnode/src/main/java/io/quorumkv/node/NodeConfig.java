package io.quorumkv.node;

/**
 * Every tunable of a node, with its unit in its name. Two presets: {@link #lan()} follows
 * hashicorp/memberlist's {@code DefaultLANConfig}; {@link #local()} is for a cluster on one machine
 * (loopback), where round trips take microseconds and we want a killed node noticed within 3 s.
 * Relations between fields are checked in the constructor; a node logs its config once at start.
 *
 * @param probeIntervalMillis SWIM protocol period: how often this node probes one member. Each
 *     member is probed by someone about once per period, so detection time scales with it; halving
 *     it doubles probe traffic. LAN 1000 ms as memberlist; local 150 ms: at 200 ms the first
 *     suspicion of a killed node came about 0.4 s after the kill (the wait for someone's probe
 *     plus the period it fails in), which left a 1 s detection median out of reach.
 * @param probeTimeoutMillis how long a direct ping waits for its ack before indirect probes start.
 *     Must cover a round trip at the 99th percentile; too low means needless indirect probes.
 *     LAN 500 ms as memberlist; local 75 ms (loopback round trips are well under 1 ms, the rest
 *     covers G1's pauses, 20 to 40 ms under bench load). Must be below the probe interval.
 * @param indirectProbes members asked to ping-req a silent target (SWIM's k). More of them
 *     tolerate more lossy links at the cost of k extra messages per failed probe. 3 as memberlist.
 * @param suspicionMult scales the suspicion timeout: a suspect is declared dead after
 *     {@code suspicionMult * max(1, log10(n)) * probeInterval} when enough others confirm the
 *     suspicion, longer when they do not (Lifeguard). Higher means fewer false removals and slower
 *     detection. 4 as memberlist's LAN config; 4 locally too, which with the 150 ms period keeps
 *     the 0.6 s window (1.2 s unconfirmed) that a live but briefly unscheduled node has to refute.
 * @param suspicionMaxTimeoutMult the unconfirmed suspicion timeout, as a multiple of the confirmed
 *     one above. Lifeguard starts at this maximum and shrinks toward the minimum as independent
 *     suspicions arrive. 6 as memberlist; 2 locally so that detection fits in 3 s.
 * @param retransmitMult how many times each membership update is piggybacked:
 *     {@code retransmitMult * ceil(log10(n + 1))}. Higher spreads more reliably under loss at the
 *     cost of bigger messages. 4 as memberlist.
 * @param gossipIntervalMillis how often fresh updates are pushed to {@link #gossipFanout} random
 *     members, on top of piggybacking on probes; speeds dissemination. LAN 200 ms as memberlist;
 *     local 100 ms.
 * @param gossipFanout members sent each gossip round. 3 as memberlist.
 * @param maxPiggybackUpdates most member updates carried by one message, to keep datagrams small
 *     (each update is about 100 bytes). 16.
 * @param syncIntervalMillis how often this node exchanges its full member list with one random
 *     member (push-pull); repairs lost gossip and heals partitions. LAN 30 s as memberlist;
 *     local 2 s, since local clusters churn on purpose.
 * @param reconnectIntervalMillis how often this node tries a full sync with a random member it
 *     believes dead (not left), so that two sides of a healed partition find each other again.
 *     LAN 30 s; local 3 s.
 * @param joinRetryMillis while this node knows no other live member, how often it sends a join
 *     sync to the next seed. LAN 1000 ms; local 200 ms.
 * @param deadRetentionMillis how long dead and left members stay in the member list (shown by
 *     status, and remembered so that stale gossip cannot resurrect them) before they are
 *     forgotten. Must be far longer than gossip takes to settle. LAN 60 s; local 30 s.
 * @param awarenessMax Lifeguard local health: each failed probe of ours raises a score up to this
 *     bound, each success lowers it; probe interval and timeout are multiplied by score + 1, so a
 *     node that is slow itself (GC, overload) probes more patiently instead of accusing others.
 *     8 as memberlist.
 * @param maxMembers most entries in the member list; further new members are ignored and counted.
 *     Bounds memory against a flood of made-up addresses. 1024.
 * @param outboxCapacity most datagrams queued between two drains of the outbox. Stabilization
 *     sends in bursts, so this bounds memory, not throughput. 4096.
 * @param kv the key-value store's settings.
 */
public record NodeConfig(
    long probeIntervalMillis,
    long probeTimeoutMillis,
    int indirectProbes,
    int suspicionMult,
    int suspicionMaxTimeoutMult,
    int retransmitMult,
    long gossipIntervalMillis,
    int gossipFanout,
    int maxPiggybackUpdates,
    long syncIntervalMillis,
    long reconnectIntervalMillis,
    long joinRetryMillis,
    long deadRetentionMillis,
    int awarenessMax,
    int maxMembers,
    int outboxCapacity,
    KvConfig kv) {

  public NodeConfig {
    positive("probeIntervalMillis", probeIntervalMillis);
    positive("probeTimeoutMillis", probeTimeoutMillis);
    if (probeTimeoutMillis >= probeIntervalMillis) {
      throw new IllegalArgumentException("probeTimeoutMillis (" + probeTimeoutMillis
          + ") must be below probeIntervalMillis (" + probeIntervalMillis + ")");
    }
    positive("indirectProbes", indirectProbes);
    positive("suspicionMult", suspicionMult);
    positive("suspicionMaxTimeoutMult", suspicionMaxTimeoutMult);
    positive("retransmitMult", retransmitMult);
    positive("gossipIntervalMillis", gossipIntervalMillis);
    positive("gossipFanout", gossipFanout);
    positive("maxPiggybackUpdates", maxPiggybackUpdates);
    positive("syncIntervalMillis", syncIntervalMillis);
    positive("reconnectIntervalMillis", reconnectIntervalMillis);
    positive("joinRetryMillis", joinRetryMillis);
    positive("deadRetentionMillis", deadRetentionMillis);
    if (awarenessMax < 0) {
      throw new IllegalArgumentException("awarenessMax must be >= 0");
    }
    positive("maxMembers", maxMembers);
    positive("outboxCapacity", outboxCapacity);
    java.util.Objects.requireNonNull(kv, "kv");
    long slowestSuspicion = (long) suspicionMult * suspicionMaxTimeoutMult * probeIntervalMillis
        * 3; // log10(1024) ~ 3, the largest cluster maxMembers allows
    if (deadRetentionMillis <= slowestSuspicion) {
      throw new IllegalArgumentException("deadRetentionMillis (" + deadRetentionMillis
          + ") must exceed the slowest suspicion timeout (" + slowestSuspicion + ")");
    }
  }

  /** Defaults for nodes on a LAN, after memberlist's DefaultLANConfig. */
  public static NodeConfig lan() {
    return new NodeConfig(1000, 500, 3, 4, 6, 4, 200, 3, 16, 30_000, 30_000, 1000, 600_000, 8,
        1024, 4096, KvConfig.lan());
  }

  /**
   * For a cluster on one machine (loopback): a killed node is declared dead by every survivor in
   * at most about 3 s (probe 150 ms + timeouts + suspicion of 0.6-1.2 s for up to 10 nodes +
   * dissemination), with margins for GC pauses.
   */
  public static NodeConfig local() {
    return new NodeConfig(150, 75, 3, 4, 2, 4, 100, 3, 16, 2_000, 3_000, 200, 30_000, 8,
        1024, 4096, KvConfig.local());
  }

  /** The preset of the given name, "lan" or "local". */
  public static NodeConfig preset(String name) {
    return switch (name) {
      case "lan" -> lan();
      case "local" -> local();
      default -> throw new IllegalArgumentException(
          "unknown preset '" + name + "' (choose lan or local)");
    };
  }

  /**
   * The longest a crashed member can stay undeclared at a survivor that probes it, in a cluster of
   * {@code n} members, when no message is lost: one probe round to reach it in round-robin, the
   * probe and indirect probe within one interval, the unconfirmed suspicion timeout, and a few
   * gossip rounds to spread the verdict. Tests use it as their bound.
   */
  public long detectionBoundMillis(int n) {
    long rounds = Math.max(1, n - 1) * probeIntervalMillis;
    return rounds + probeIntervalMillis + maxSuspicionTimeoutMillis(n) + 5 * gossipIntervalMillis;
  }

  /** Confirmed (shortest) suspicion timeout for a cluster of {@code n} members. */
  public long minSuspicionTimeoutMillis(int n) {
    double scale = Math.max(1.0, Math.log10(Math.max(1, n)));
    return (long) (suspicionMult * scale * probeIntervalMillis);
  }

  /** Unconfirmed (longest) suspicion timeout for a cluster of {@code n} members. */
  public long maxSuspicionTimeoutMillis(int n) {
    return suspicionMaxTimeoutMult * minSuspicionTimeoutMillis(n);
  }

  /** Times each update is retransmitted in a cluster of {@code n} members. */
  public int retransmitLimit(int n) {
    return retransmitMult * (int) Math.ceil(Math.log10(n + 1));
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }
}
