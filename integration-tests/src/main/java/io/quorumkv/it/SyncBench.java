package io.quorumkv.it;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.client.KvClient;
import io.quorumkv.common.wire.MemberState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a sync policy costs: puts through the client library against a fresh local cluster with
 * records in memory, with {@code --sync group} and with {@code --sync always}, from 1 client
 * (latency) and from several at once (throughput, where group commit shares fsyncs). Prints
 * puts per second, median and 99th-percentile latency, and writes per fsync, each mode also as
 * a ratio to the first mode. The modes take turns, round after round, and each figure is the
 * median over the rounds, so that a machine shared with other work disturbs them all alike.
 * Absolute numbers depend on the machine; the ratios are what to compare.
 *
 * <pre>
 *   java -cp integration-tests/target/qkv-grade.jar io.quorumkv.it.SyncBench \
 *       [PUTS [CLIENTS [ROUNDS [MODES]]]]
 * </pre>
 * Run from the repository root. Defaults: 3000 puts, 8 clients, 3 rounds, modes
 * memory,group,always; 3 nodes, run directories under target/bench.
 */
public final class SyncBench {

  private SyncBench() {
  }

  private record Result(double putsPerSecond, double p50Millis, double p99Millis,
      double writesPerSync) {
  }

  public static void main(String[] args) throws Exception {
    int puts = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<String> modes = List.of((args.length > 3 ? args[3] : "memory,group,always").split(","));
    Path jar = Path.of("kvnode/target/kvnode.jar");
    System.out.printf("%d puts at quorum on 3 nodes, medians of %d rounds%n", puts, rounds);
    System.out.printf("%-8s %7s %10s %8s %8s %12s  %s%n", "storage", "clients", "puts/s",
        "p50 ms", "p99 ms", "writes/sync", "vs " + modes.get(0) + " (puts/s, p50)");
    for (int c : new int[] {1, clients}) {
      List<List<Result>> byMode = new ArrayList<>();
      modes.forEach(m -> byMode.add(new ArrayList<>()));
      for (int round = 0; round < rounds; round++) {
        for (int m = 0; m < modes.size(); m++) {
          byMode.get(m).add(run(jar, modes.get(m), puts, c));
        }
      }
      Result first = null;
      for (int m = 0; m < modes.size(); m++) {
        String mode = modes.get(m);
        Result r = median(byMode.get(m));
        if (first == null) {
          first = r;
        }
        System.out.printf("%-8s %7d %10.0f %8.2f %8.2f %12s  %.2fx, %.2fx%n", mode, c,
            r.putsPerSecond(), r.p50Millis(), r.p99Millis(),
            mode.equals("memory") ? "-" : String.format("%.1f", r.writesPerSync()),
            r.putsPerSecond() / first.putsPerSecond(), r.p50Millis() / first.p50Millis());
      }
    }
  }

  private static Result median(List<Result> results) {
    return new Result(median(results, Result::putsPerSecond), median(results, Result::p50Millis),
        median(results, Result::p99Millis), median(results, Result::writesPerSync));
  }

  private static double median(List<Result> results,
      java.util.function.ToDoubleFunction<Result> field) {
    double[] values = results.stream().mapToDouble(field).sorted().toArray();
    return values[values.length / 2];
  }

  private static Result run(Path jar, String mode, int puts, int clients) throws Exception {
    try (LocalCluster cluster = new LocalCluster(jar, Path.of("target", "bench", "nodes"), 3)) {
      List<String> flags = List.of();
      if (!mode.equals("memory")) {
        cluster.withDataDirectories();
        flags = List.of("--sync", mode);
      }
      for (int i = 1; i <= 3; i++) {
        cluster.start(i, flags);
      }
      awaitFormed(cluster);
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      long[] latencies = new long[puts];
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < clients; t++) {
        int share = t;
        done.add(pool.submit(() -> {
          try (KvClient client = KvClient.open(List.of(cluster.address(1 + share % 3)),
              new ClientConfig(2000, 2))) {
            for (int i = share; i < puts; i += clients) {
              long t0 = System.nanoTime();
              client.put("bench-" + i, "value-" + i);
              latencies[i] = System.nanoTime() - t0;
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      Arrays.sort(latencies);
      long writes = 0;
      long syncs = 0;
      try (KvClient client = KvClient.open(List.of(cluster.address(1)), new ClientConfig(500, 2))) {
        for (int i = 1; i <= 3; i++) {
          Map<String, Long> stats = client.status(cluster.address(i)).counters();
          writes += stats.getOrDefault("storage.writes", 0L);
          syncs += stats.getOrDefault("storage.syncs", 0L);
        }
      }
      return new Result(puts / seconds, latencies[puts / 2] / 1e6,
          latencies[(int) (puts * 0.99)] / 1e6, syncs == 0 ? 0 : (double) writes / syncs);
    }
  }

  private static void awaitFormed(LocalCluster cluster) throws InterruptedException {
    long deadline = System.nanoTime() + cluster.startupBound().toNanos();
    while (System.nanoTime() < deadline) {
      boolean formed = true;
      for (int i = 1; i <= 3 && formed; i++) {
        formed = cluster.view(i).map(v -> v.values().stream()
            .filter(m -> m.state() == MemberState.ALIVE).count() == 3).orElse(false);
      }
      if (formed) {
        return;
      }
      Thread.sleep(100); // a command-line tool polling real processes
    }
    throw new IllegalStateException("the cluster did not form within "
        + cluster.startupBound());
  }
}
