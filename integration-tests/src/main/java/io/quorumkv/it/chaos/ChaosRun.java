package io.quorumkv.it.chaos;

import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvResult;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.it.LocalCluster;
import io.quorumkv.node.check.Checker;
import io.quorumkv.node.check.History;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * One chaos run on real processes, in the manner of Jepsen: starts {@link #NODES} kvnode
 * processes on loopback (local preset), runs {@link #CLIENTS} concurrent clients on
 * {@link #KEYS} keys ({@link ChaosWorkload}) while the {@link Nemesis} kills, restarts, pauses
 * and resumes nodes; then heals (every node back), waits for the cluster to settle, stops the
 * clients, reads every key at ALL (recorded too: those reads are the final values), and runs the
 * {@link Checker} on the history. Phases, each bounded: form, faults, heal, drain, final reads.
 *
 * <p>Every process it starts is killed at the end, on failure too, and by a shutdown hook on
 * Ctrl-C. The seed (split per client and for the nemesis) fixes the choices, not the timing.
 */
final class ChaosRun {

  static final int NODES = 5;
  static final int CLIENTS = 4;
  static final int KEYS = 5;
  static final long PROGRESS_EVERY_MILLIS = 5_000;
  static final long STEP_MILLIS = 100;
  /** How long the healed cluster has to settle: detection, rejoins, re-replication, quiet. */
  static final long SETTLE_BOUND_MILLIS = 60_000;
  /** How long the clients have to finish their last operation: a few failovers at most. */
  static final long DRAIN_BOUND_MILLIS = 30_000;
  static final int FINAL_READ_ATTEMPTS = 5;
  static final long FINAL_READ_RETRY_MILLIS = 500;

  /**
   * What to run: the length of the fault phase, the seed, the node's jar, the run directory, and
   * whether the nodes keep their records on disk ({@code --data-dir}; the nemesis then also
   * crashes the whole cluster) or in memory.
   */
  record Options(long faultMillis, long seed, Path kvnodeJar, Path runDir, boolean durable) {
  }

  private final Options options;
  private final PrintStream out;
  private final History history = new History();
  private final List<String> problems = new ArrayList<>();
  /** The monotonic clock's reading when the workload began; 0 before. */
  private long origin;

  private ChaosRun(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs once, printing progress to {@code out}. */
  static ChaosResult run(Options options, PrintStream out)
      throws IOException, InterruptedException {
    return new ChaosRun(options, out).run();
  }

  /** The workload's keys: k0, k1, ... */
  static List<String> keyNames() {
    return IntStream.range(0, KEYS).mapToObj(k -> "k" + k).toList();
  }

  private ChaosResult run() throws IOException, InterruptedException {
    clearLogs();
    SplittableRandom root = new SplittableRandom(options.seed());
    LocalCluster cluster = new LocalCluster(options.kvnodeJar(), options.runDir(), NODES);
    if (options.durable()) {
      cluster.withDataDirectories();
    }
    Thread hook = new Thread(() -> {
      System.err.println("chaos: interrupted: killing every node this run started");
      cluster.killAllNow();
    }, "chaos-kill-nodes");
    Runtime.getRuntime().addShutdownHook(hook);
    ChaosWorkload workload = null;
    Nemesis nemesis = null;
    Map<String, Checker.Final> finals = null;
    try {
      cluster.startAll();
      awaitFormed(cluster);
      origin = System.nanoTime();
      List<Address> nodes = new ArrayList<>();
      for (int i = 1; i <= NODES; i++) {
        nodes.add(cluster.address(i));
      }
      workload = new ChaosWorkload(nodes, keyNames(), history, this::now);
      workload.start(CLIENTS, root.split());
      nemesis = new Nemesis(cluster, options.durable(), root.split(), this::now, this::print);
      faults(nemesis);
      nemesis.heal();
      boolean settled = nemesis.awaitSettled(SETTLE_BOUND_MILLIS);
      if (!workload.stop(DRAIN_BOUND_MILLIS)) {
        problems.add("a client did not finish its last operation within "
            + DRAIN_BOUND_MILLIS + " ms");
      }
      workload = null;
      // The clients stopped: let the last writes' resends and any round they caused finish.
      settled = settled && nemesis.awaitSettled(SETTLE_BOUND_MILLIS);
      if (settled) {
        print("cluster settled: every node sees " + NODES + " alive, stabilization quiet");
        finals = finalReads(nodes);
      } else {
        problems.add("the healed cluster did not settle within " + SETTLE_BOUND_MILLIS
            + " ms: " + nemesis.settleProblem());
      }
    } finally {
      shutDown(cluster, workload, hook);
    }
    List<Checker.Interval> unsafe = nemesis.unsafe();
    List<Checker.Violation> violations = new Checker(history.ops()).check(finals, unsafe, false);
    ChaosResult result = new ChaosResult(options.seed(), options.faultMillis(),
        nemesis.events(), nemesis.done(), unsafe, history.ops(), violations, problems,
        options.runDir(), cluster.startedPids());
    Files.write(options.runDir().resolve("history.txt"), result.transcript());
    return result;
  }

  /**
   * Stops the clients still running (when the run failed), then kills every node, whatever
   * goes wrong on the way, and drops the shutdown hook that would have.
   */
  private static void shutDown(LocalCluster cluster, ChaosWorkload workload, Thread hook)
      throws IOException, InterruptedException {
    try {
      if (workload != null) {
        workload.stop(DRAIN_BOUND_MILLIS);
      }
    } finally {
      cluster.shutDown(hook);
    }
  }

  /** The fault phase: the nemesis acts while the clients run; a progress line every few s. */
  private void faults(Nemesis nemesis) throws IOException, InterruptedException {
    long nextProgress = PROGRESS_EVERY_MILLIS;
    int opsBefore = 0;
    while (now() < options.faultMillis()) {
      nemesis.step();
      if (now() >= nextProgress) {
        opsBefore = progress(nemesis, opsBefore);
        nextProgress += PROGRESS_EVERY_MILLIS;
      }
      Thread.sleep(STEP_MILLIS); // the nemesis acts in real time, by design
    }
    print("faults over: healing (" + nemesis.disrupted() + ")");
  }

  /** Prints one progress line; returns the operation count it saw. */
  private int progress(Nemesis nemesis, int opsBefore) {
    List<History.Op> ops = history.ops();
    long ok = ops.stream().filter(History.Op::isOk).count();
    long fail = ops.stream().filter(o -> o.outcome() == History.Outcome.FAIL).count();
    print(String.format(Locale.ROOT,
        "%d ops, %.0f/s: %d ok, %d fail, %d unknown or in flight; disrupted: %s",
        ops.size(), (ops.size() - opsBefore) * 1000.0 / PROGRESS_EVERY_MILLIS, ok, fail,
        ops.size() - ok - fail, nemesis.disrupted()));
    return ops.size();
  }

  /**
   * Reads every key at ALL through a fresh client, retrying a read that fails; the records read
   * are the keys' final values, or null (and a problem) when some key could not be read.
   */
  private Map<String, Checker.Final> finalReads(List<Address> nodes)
      throws IOException, InterruptedException {
    Map<String, Checker.Final> finals = new TreeMap<>();
    try (KvClient client = KvClient.open(nodes, ChaosWorkload.clientConfig())) {
      for (String key : keyNames()) {
        KvResult r = null;
        for (int attempt = 1; attempt <= FINAL_READ_ATTEMPTS && !readable(r); attempt++) {
          if (attempt > 1) {
            Thread.sleep(FINAL_READ_RETRY_MILLIS);
          }
          r = ChaosWorkload.execute(history, this::now, client, CLIENTS, KvOp.READ, key, "",
              Consistency.ALL);
        }
        if (!readable(r)) {
          problems.add("the final read of " + key + " at ALL failed " + FINAL_READ_ATTEMPTS
              + " times: " + (r == null ? "no node answered" : r.status() + " " + r.reason()));
          return null;
        }
        finals.put(key, new Checker.Final(r.isOk(), r.value(), r.version()));
        print("final " + key + " = " + (r.isOk() ? "'" + r.value() + "'" : "(absent)")
            + " v=" + r.version());
      }
    }
    return finals;
  }

  private static boolean readable(KvResult r) {
    return r != null && (r.isOk() || r.status() == KvStatus.NOT_FOUND);
  }

  /** Waits until every node sees all the others alive and nobody suspect. */
  private void awaitFormed(LocalCluster cluster) throws InterruptedException {
    List<Address> all = new ArrayList<>();
    for (int i = 1; i <= NODES; i++) {
      all.add(cluster.address(i));
    }
    long deadline = System.nanoTime() + cluster.startupBound().toNanos();
    for (int i = 1; i <= NODES; i++) {
      while (!cluster.sees(i, all)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not form within "
              + cluster.startupBound().toSeconds() + " s: node " + i + " sees "
              + cluster.view(i).map(v -> v.values().stream()
                  .map(m -> m.address() + " " + m.state()).toList().toString())
                  .orElse("nothing (it does not answer)")
              + "; see the node logs in " + options.runDir());
        }
        Thread.sleep(STEP_MILLIS); // polling real processes from outside
      }
    }
    print("cluster formed: " + NODES + " nodes " + all);
  }

  /** Starts each run with fresh node logs (LocalCluster appends, for restarts). */
  private void clearLogs() throws IOException {
    for (int i = 1; i <= NODES; i++) {
      Path dir = options.runDir().resolve("node" + i);
      Files.deleteIfExists(dir.resolve("node.log"));
      Files.deleteIfExists(dir.resolve("events.jsonl"));
    }
    Files.deleteIfExists(options.runDir().resolve("history.txt"));
  }

  /** Milliseconds since the workload began, from the monotonic clock. */
  private long now() {
    return (System.nanoTime() - origin) / 1_000_000;
  }

  private void print(String line) {
    synchronized (out) {
      out.println((origin == 0 ? "" : String.format(Locale.ROOT, "[t+%5.1fs] ", now() / 1000.0))
          + line);
      out.flush();
    }
  }
}
