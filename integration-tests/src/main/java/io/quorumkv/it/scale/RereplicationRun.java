package io.quorumkv.it.scale;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.ReplicaRead;
import io.quorumkv.common.wire.ReplicaReadReply;
import io.quorumkv.it.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Re-replication time after a node's death, on real processes: a fresh 5-node cluster (local
 * preset, records in memory) is loaded with N keys, and once every node holds exactly the keys
 * it owns, one node is killed with SIGKILL. Then the survivors' stats are polled every
 * {@link #POLL_MILLIS} until each holds exactly the keys it owns on the ring without the dead
 * node. That check is exact: no key is written meanwhile, a survivor keeps every key it held
 * (it still owns it: removing a member only adds owners), so it holds the keys it owns exactly
 * when it holds as many. Reported per run: from the kill to the survivors' removal of the dead
 * node (their event logs), and from the kill and from the last removal until every key is back
 * on 3 live replicas; then the median and range of each over the runs.
 *
 * <p>The keys are loaded once per key count: after a run the killed node is restarted, empty,
 * and the next run begins once stabilization has refilled it, from the state a fresh load
 * leaves (each node holding exactly its keys); only the restarted JVM is colder.
 */
final class RereplicationRun {

  static final int NODES = 5;
  static final long POLL_MILLIS = 10;
  /** How long the survivors have to re-replicate: detection takes about 3 s. */
  static final long BOUND_MILLIS = 300_000;
  /** How long the nodes have to hold their keys after a load or a restart. */
  static final long SETTLE_BOUND_MILLIS = 300_000;

  /** What to run: key counts, runs of each, node heap, loader threads, ports, paths, verify. */
  record Options(List<Long> keyCounts, int repeats, Consistency consistency, String preset,
      String nodeHeap,
      int clients,
      int basePort, Path kvnodeJar, Path runDir, boolean verify) {
  }

  /**
   * One run's times, in wall-clock milliseconds after the kill: the first and last survivor's
   * removal of the dead node, and when every key was seen on 3 live replicas (at most
   * {@link #POLL_MILLIS} and a poll's round trip after it happened).
   */
  record Times(long firstRemoval, long lastRemoval, long done) {
    long afterLastRemoval() {
      return done - lastRemoval;
    }
  }

  private RereplicationRun() {
  }

  static int run(Options o, PrintStream out) throws IOException, InterruptedException {
    Map<Long, List<Times>> all = new TreeMap<>();
    for (long keys : o.keyCounts()) {
      all.put(keys, runs(o, keys, out));
    }
    out.println();
    out.println("Re-replication after SIGKILL of 1 of " + NODES
        + " nodes (median, range in ms; every key back on 3 live replicas):");
    out.printf("%-8s %-5s %-28s %-28s %-28s%n", "keys", "runs", "kill -> removed (last)",
        "removed (last) -> done", "kill -> done");
    for (Map.Entry<Long, List<Times>> e : all.entrySet()) {
      List<Times> t = e.getValue();
      out.printf("%-8d %-5d %-28s %-28s %-28s%n", e.getKey(), t.size(),
          Spread.of(t.stream().map(Times::lastRemoval).toList()),
          Spread.of(t.stream().map(Times::afterLastRemoval).toList()),
          Spread.of(t.stream().map(Times::done).toList()));
    }
    return 0;
  }

  /**
   * One cluster for one key count: loads the keys once, then each run kills a node, measures,
   * restarts it empty and waits until stabilization has refilled it (every node holds exactly
   * the keys it owns again), so the next run starts from the state a fresh load leaves.
   */
  private static List<Times> runs(Options o, long keys, PrintStream out)
      throws IOException, InterruptedException {
    List<Times> times = new ArrayList<>();
    try (ScaleCluster scale = ScaleCluster.start(o.kvnodeJar(), o.runDir(),
        NODES, o.basePort(), o.preset(), HeapRun.jvmFlags(o.nodeHeap()))) {
      LocalCluster cluster = scale.nodes();
      List<Address> members = scale.addresses();
      String tag = String.format(Locale.ROOT, "rereplication %d keys: ", keys);
      Loader.Result load = Loader.load(members, 0, keys, o.consistency(), o.clients(),
          HeapRun.loadBoundMillis(keys), line -> out.println(tag + line));
      Map<Address, Long> owned = ScaleKeys.ownedCounts(members, keys);
      Map<Integer, Long> everyNode = byNumber(cluster, owned, List.of(1, 2, 3, 4, 5));
      scale.awaitHolding(everyNode, SETTLE_BOUND_MILLIS, line -> out.println(tag + line));
      out.printf(Locale.ROOT, "%sloaded in %.1f s (%.0f puts/s, %d retried); the nodes hold %s"
          + " keys%n", tag, load.millis() / 1000.0, load.perSecond(), load.retries(),
          owned.values());
      long settledAt = System.currentTimeMillis();
      for (int r = 1; r <= o.repeats(); r++) {
        // Each run kills another node: victims differ in their share and their role (seeds).
        int victim = 1 + (r - 1) % NODES;
        times.add(once(o, scale, keys, owned, victim, settledAt,
            String.format(Locale.ROOT, "rereplication %d keys, run %d: ", keys, r), out));
        if (r < o.repeats()) {
          cluster.start(victim);
          scale.awaitFormed();
          scale.awaitHolding(everyNode, SETTLE_BOUND_MILLIS, line -> out.println(tag + line));
          settledAt = System.currentTimeMillis();
        }
      }
    }
    return times;
  }

  private static Times once(Options o, ScaleCluster scale, long keys, Map<Address, Long> owned,
      int victim, long settledAt, String tag, PrintStream out)
      throws IOException, InterruptedException {
    LocalCluster cluster = scale.nodes();
    List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3, 4, 5));
    survivors.remove(Integer.valueOf(victim));
    Address dead = cluster.address(victim);
    List<Address> alive = new ArrayList<>(scale.addresses());
    alive.remove(dead);
    Map<Integer, Long> expected = byNumber(cluster, ScaleKeys.ownedCounts(alive, keys),
        survivors);
    long storedBefore = stored(scale, survivors);
    out.printf(Locale.ROOT, "%skilling node %d (%s, %d keys); %s%n", tag, victim, dead,
        owned.get(dead), ScaleCluster.machineLoad());
    long killedAt = cluster.kill(victim);
    long doneAt = awaitReplicated(scale, expected, killedAt);
    long firstRemoval = Long.MAX_VALUE;
    long lastRemoval = Long.MIN_VALUE;
    long falseRemovals = 0;
    for (int i : survivors) {
      // A removal after the cluster settled and before the kill was a false suspicion.
      List<Long> removals = cluster.removalTimes(i, dead);
      falseRemovals += removals.stream().filter(at -> at >= settledAt && at < killedAt).count();
      long removed = removals.stream().filter(at -> at >= killedAt).findFirst()
          .orElseThrow(() -> new IllegalStateException("node " + i + " logged no removal of "
              + dead + " after the kill"));
      firstRemoval = Math.min(firstRemoval, removed);
      lastRemoval = Math.max(lastRemoval, removed);
    }
    if (falseRemovals > 0) {
      out.println(tag + "note: before the kill, survivors had removed node " + victim + " "
          + falseRemovals + " time(s) (false suspicions under load; it rejoined)");
    }
    Times t = new Times(firstRemoval - killedAt, lastRemoval - killedAt, doneAt - killedAt);
    long copied = stored(scale, survivors) - storedBefore;
    out.printf(Locale.ROOT, "%sremoved after %d..%d ms; every key on 3 live replicas %d ms"
        + " after the kill, %d ms after the last removal; %d records copied"
        + " (kv.handoff.stored; %d keys had lost a replica)%n", tag, t.firstRemoval(),
        t.lastRemoval(), t.done(), t.afterLastRemoval(), copied, owned.get(dead));
    if (o.verify()) {
      verify(alive, keys, o.clients());
      out.println(tag + "verified: each of " + keys + " keys read from each of its 3 owners"
          + " (their own copies), every value as written");
    }
    return t;
  }

  /**
   * Polls the survivors until each holds its expected count; returns the wall-clock time of the
   * poll that saw it.
   */
  private static long awaitReplicated(ScaleCluster scale, Map<Integer, Long> expected,
      long killedAt) throws InterruptedException {
    List<Integer> nodes = new ArrayList<>(expected.keySet());
    while (true) {
      Map<Integer, Long> held = scale.keyCounts(nodes);
      long now = System.currentTimeMillis();
      if (held.equals(expected)) {
        return now;
      }
      if (now - killedAt > BOUND_MILLIS) {
        throw new IllegalStateException("the survivors did not re-replicate within "
            + BOUND_MILLIS + " ms: they hold " + held + " keys, want " + expected);
      }
      Thread.sleep(POLL_MILLIS); // polling real processes from outside
    }
  }

  /** The sum of the nodes' {@code kv.handoff.stored}: records stabilization copied to them. */
  private static long stored(ScaleCluster scale, List<Integer> nodes) {
    long sum = 0;
    for (int i : nodes) {
      sum += scale.counters(i).orElseThrow(() -> new IllegalStateException(
          "node " + i + " does not answer")).getOrDefault("kv.handoff.stored", 0L);
    }
    return sum;
  }

  private static Map<Integer, Long> byNumber(LocalCluster cluster, Map<Address, Long> counts,
      List<Integer> nodes) {
    Map<Integer, Long> out = new TreeMap<>();
    for (int i : nodes) {
      out.put(i, counts.get(cluster.address(i)));
    }
    return out;
  }

  /**
   * Asks each owner of each key for its own copy (a replica read, as a coordinator would send
   * it), from several threads; throws at the first copy that is missing or differs.
   */
  private static void verify(List<Address> alive, long keys, int clients)
      throws InterruptedException {
    HashRing ring = ScaleKeys.ring(alive);
    AtomicLong next = new AtomicLong();
    AtomicReference<String> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      Thread thread = new Thread(() -> {
        long readId = 0;
        try (KvClient client = KvClient.open(alive, ClientConfig.defaults())) {
          for (long i = next.getAndIncrement(); i < keys && failure.get() == null;
              i = next.getAndIncrement()) {
            for (Address owner : ScaleKeys.owners(ring, i)) {
              ReplicaReadReply reply = KvClient.expect(client.requestFrom(owner,
                  new ReplicaRead(ScaleKeys.key(i), client.address(), ++readId)),
                  ReplicaReadReply.class);
              KeyRecord r = reply.record();
              if (!r.isLive() || !r.value().equals(ScaleKeys.value(i))) {
                failure.compareAndSet(null, owner + " holds " + ScaleKeys.key(i) + " as "
                    + (r.isLive() ? "'" + r.value() + "'" : "absent"));
              }
            }
          }
        } catch (IOException | KvClientException | RuntimeException e) {
          failure.compareAndSet(null, e.getMessage());
        }
      }, "scale-verify-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("verification failed: " + failure.get());
    }
  }
}
