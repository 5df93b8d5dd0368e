package io.quorumkv.it.scale;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.it.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A {@link LocalCluster} for one scale measurement: fresh logs, every node started and the
 * cluster formed, and on {@link #close} (and on Ctrl-C, through a shutdown hook) every node it
 * started killed. Also the two questions the measurements ask of the nodes: how many keys each
 * holds ({@code storage.keys} of its stats), and a wait until they hold what they should.
 */
final class ScaleCluster implements AutoCloseable {

  static final long POLL_MILLIS = 200;
  static final long PROGRESS_EVERY_MILLIS = 10_000;
  /** Counters that say how missed writes are being repaired, for a slow wait's progress. */
  static final List<String> REPAIR_COUNTERS = List.of("kv.hints.pending", "kv.hints.dropped",
      "kv.hints.delivered", "kv.ae.sessions", "kv.ae.pushed", "kv.ae.aborted",
      "kv.stabilization.rounds");

  private final LocalCluster cluster;
  /** How long forming may take: the lan preset's joins and syncs are slower than local's. */
  private final long formBoundMillis;

  private ScaleCluster(LocalCluster cluster, long formBoundMillis) {
    this.cluster = cluster;
    this.formBoundMillis = formBoundMillis;
  }

  /**
   * Starts {@code size} nodes (records in memory, {@code --preset preset}) with
   * {@code jvmFlags}, on ports {@code basePort} and up (0: free ports the kernel picks), and
   * waits until every node sees all of them alive.
   */
  static ScaleCluster start(Path jar, Path runDir, int size, int basePort, String preset,
      List<String> jvmFlags) throws IOException, InterruptedException {
    for (int i = 1; i <= size; i++) {
      Path dir = runDir.resolve("node" + i);
      Files.deleteIfExists(dir.resolve("node.log"));
      Files.deleteIfExists(dir.resolve("events.jsonl"));
    }
    LocalCluster cluster = (basePort == 0 ? new LocalCluster(jar, runDir, size)
        : new LocalCluster(jar, runDir, IntStream.range(basePort, basePort + size).boxed()
            .toList())).withJvmFlags(jvmFlags).withPreset(preset)
        .killOnShutdown("scale-bench");
    long bound = cluster.startupBound().toMillis() * (preset.equals("lan") ? 3 : 1);
    ScaleCluster scale = new ScaleCluster(cluster, bound);
    try {
      cluster.startAll();
      scale.awaitFormed();
    } catch (IOException | InterruptedException | RuntimeException e) {
      scale.close();
      throw e;
    }
    return scale;
  }

  LocalCluster nodes() {
    return cluster;
  }

  /** Every node's address, node 1 first. */
  List<Address> addresses() {
    List<Address> all = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      all.add(cluster.address(i));
    }
    return all;
  }

  /** Node {@code i}'s counters, or empty when it does not answer. */
  Optional<Map<String, Long>> counters(int i) {
    return cluster.status(i).map(StatusReply::counters);
  }

  /** The keys each of {@code nodes} holds ({@code storage.keys}); -1 for one that is silent. */
  Map<Integer, Long> keyCounts(List<Integer> nodes) {
    Map<Integer, Long> counts = new TreeMap<>();
    for (int i : nodes) {
      counts.put(i, counters(i).map(c -> c.getOrDefault("storage.keys", -1L)).orElse(-1L));
    }
    return counts;
  }

  /**
   * Waits until each node of {@code expected} (by number) holds exactly that many keys, telling
   * {@code progress} what they hold every {@link #PROGRESS_EVERY_MILLIS} (a replica that missed
   * writes, its hints dropped, waits for anti-entropy); throws with what they held when that
   * takes longer than {@code boundMillis}.
   */
  void awaitHolding(Map<Integer, Long> expected, long boundMillis, Consumer<String> progress)
      throws InterruptedException {
    awaitHolding(expected, boundMillis, Long.MAX_VALUE, progress);
  }

  /**
   * As {@link #awaitHolding(Map, long, Consumer)}, but settles for less once no node's count
   * has moved for {@code stallMillis}: returns what each node then holds (the same as
   * {@code expected} when they got there).
   */
  Map<Integer, Long> awaitHolding(Map<Integer, Long> expected, long boundMillis,
      long stallMillis, Consumer<String> progress) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + boundMillis * 1_000_000;
    long nextProgress = start + PROGRESS_EVERY_MILLIS * 1_000_000;
    List<Integer> nodes = new ArrayList<>(expected.keySet());
    Map<Integer, Long> last = Map.of();
    long movedAt = start;
    while (true) {
      Map<Integer, Long> held = keyCounts(nodes);
      if (held.equals(expected)) {
        return held;
      }
      long now = System.nanoTime();
      if (held.containsValue(-1L)) {
        // a node too busy to answer in time: no news either way
      } else if (!held.equals(last)) {
        last = held;
        movedAt = now;
      } else if ((now - movedAt) / 1_000_000 >= stallMillis) {
        return held;
      }
      if (now > deadline) {
        throw new IllegalStateException("the nodes did not hold " + expected + " keys within "
            + boundMillis + " ms (node number = keys): they hold " + held + "; " + repairs());
      }
      if (now >= nextProgress) {
        nextProgress += PROGRESS_EVERY_MILLIS * 1_000_000;
        progress.accept("waiting for every node to hold its keys: " + held + " of " + expected
            + "; " + repairs());
      }
      Thread.sleep(POLL_MILLIS); // polling real processes from outside
    }
  }

  /** What repairs missed writes, summed over the nodes that answer: hints, anti-entropy. */
  String repairs() {
    Map<String, Long> sums = new TreeMap<>();
    for (int i = 1; i <= cluster.size(); i++) {
      if (cluster.running(i)) {
        counters(i).ifPresent(c -> REPAIR_COUNTERS.forEach(
            name -> sums.merge(name, c.getOrDefault(name, 0L), Long::sum)));
      }
    }
    List<String> parts = new ArrayList<>();
    sums.forEach((name, sum) -> parts.add(name + " " + sum));
    return String.join(", ", parts);
  }

  /**
   * "load 3.21 on 2 cores": the machine's one-minute load average (from /proc/loadavg) beside
   * its processors, to judge a figure taken on a machine shared with other work.
   */
  static String machineLoad() {
    String cores = Runtime.getRuntime().availableProcessors() + " cores";
    try {
      return "load " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + " on " + cores;
    } catch (IOException | RuntimeException e) {
      return "load unknown on " + cores;
    }
  }

  /** Kills every node still running (SIGKILL: no leave, no logging on the way out). */
  @Override
  public void close() throws IOException, InterruptedException {
    cluster.killAllAndClose();
  }

  /** Waits until every node sees all of them alive, nobody suspect; throws after a bound. */
  void awaitFormed() throws InterruptedException {
    List<Address> all = addresses();
    long deadline = System.nanoTime() + formBoundMillis * 1_000_000;
    for (int i = 1; i <= cluster.size(); i++) {
      while (!cluster.sees(i, all)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not form within "
              + formBoundMillis / 1000 + " s: node " + i + " does not see " + all
              + " alive (are the ports free? is the machine overloaded?)");
        }
        Thread.sleep(POLL_MILLIS); // polling real processes from outside
      }
    }
  }

}
