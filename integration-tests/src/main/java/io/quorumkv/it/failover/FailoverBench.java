package io.quorumkv.it.failover;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.it.LocalCluster;
import io.quorumkv.it.chaos.Settling;
import io.quorumkv.node.emul.TimedEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The failover bench on real processes: a cluster of local-preset kvnode processes on fixed
 * loopback ports; then, one run after another, a node killed with SIGKILL (restarted once every
 * survivor removed it), a node paused with SIGSTOP (resumed with SIGCONT once every survivor
 * removed it), each followed by a wait until the cluster has settled again; then a soak under
 * bench load in which nothing is killed, so that every suspicion and removal is false. The times
 * come from the nodes' event logs, on the machine's one clock.
 *
 * <p>Every process it starts is killed at the end, on failure too, and by a shutdown hook on
 * Ctrl-C; each one's process id is also written to the pid file, if one is given, for the script
 * to sweep should this JVM itself be killed. Every wait is bounded.
 */
final class FailoverBench {

  /** How long the cluster has to form, and to settle after a run. */
  static final long SETTLE_BOUND_MILLIS = 120_000;
  static final long POLL_MILLIS = 20;
  static final long SETTLE_POLL_MILLIS = 100;
  static final long SOAK_PROGRESS_MILLIS = 30_000;
  static final long LOAD_SAMPLE_MILLIS = 5_000;
  /** Counters summed over every node before and after the soak, as a cross-check. */
  static final List<String> SOAK_COUNTERS = List.of("swim.suspected", "swim.refutations",
      "swim.declared-dead", "swim.probes.failed", "swim.probes.indirect");

  /**
   * What to run.
   *
   * @param ports node i (1-based) listens on the i-th
   * @param soakSeconds 0 for no soak
   * @param kvclient the kvclient launcher, or null for a soak without load
   * @param pidFile where to append "PID, tab, a text its command line holds" for each process
   *     started, or null
   */
  record Options(List<Integer> ports, int kills, int stops, long soakSeconds, int rate,
      boolean durable, long timeoutMillis, Path kvnodeJar, Path runDir, Path kvclient,
      Path pidFile) {
  }

  /** The soak's outcome: its false alarms, the counters' growth, and the bench's summary. */
  record Soak(long seconds, Alarms alarms, Map<String, Long> counterDeltas, int benchStatus,
      String benchSummary) {
  }

  /**
   * Everything measured, the machine's load meanwhile, and what went wrong (empty when every run
   * completed).
   */
  record Result(List<Detection> kills, List<Detection> stops, Soak soak, String machineLoad,
      List<String> problems) {
  }

  private final Options options;
  private final PrintStream out;
  private final List<EventTail> tails = new ArrayList<>();
  /** Every membership and suspicion event of every node so far. */
  private final List<TimedEvent> events = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final MachineLoad load = MachineLoad.linux();
  private LocalCluster cluster;
  private Settling settling;
  private volatile BenchLoad bench;

  private FailoverBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  static Result run(Options options, PrintStream out) throws IOException, InterruptedException {
    return new FailoverBench(options, out).run();
  }

  private Result run() throws IOException, InterruptedException {
    int n = options.ports().size();
    clearLogs(n);
    cluster = new LocalCluster(options.kvnodeJar(), options.runDir(), options.ports())
        .withoutKeyValueEvents();
    if (options.durable()) {
      cluster.withDataDirectories();
    }
    settling = new Settling(cluster);
    for (int i = 1; i <= n; i++) {
      tails.add(new EventTail(cluster.eventLog(i)));
    }
    // On Ctrl-C the cluster's hook kills the nodes, this one the bench.
    cluster.killOnShutdown("failover-bench");
    Thread hook = new Thread(() -> {
      BenchLoad b = bench;
      if (b != null) {
        b.kill();
      }
    }, "failover-kill-bench");
    Runtime.getRuntime().addShutdownHook(hook);
    List<Detection> kills = new ArrayList<>();
    List<Detection> stops = new ArrayList<>();
    Soak soak = null;
    try {
      for (int i = 1; i <= n; i++) {
        startNode(i);
      }
      if (!awaitSettled("the cluster did not form")) {
        return new Result(kills, stops, null, load.summary(), problems);
      }
      print("cluster formed: " + n + " nodes on 127.0.0.1:" + options.ports().get(0) + "-"
          + options.ports().get(n - 1) + " (local preset)");
      for (int r = 1; r <= options.kills() && problems.isEmpty(); r++) {
        kills.add(killRun(r, victim(r)));
      }
      for (int r = 1; r <= options.stops() && problems.isEmpty(); r++) {
        stops.add(stopRun(r, victim(r)));
      }
      if (options.soakSeconds() > 0 && problems.isEmpty()) {
        soak = soak();
      }
    } finally {
      shutDown(hook);
    }
    return new Result(kills, stops, soak, load.summary(), problems);
  }

  /** Run r's victim: the nodes in turn, 1, 2, ..., n, 1, ... */
  private int victim(int r) {
    return (r - 1) % options.ports().size() + 1;
  }

  private Detection killRun(int r, int victim) throws IOException, InterruptedException {
    long signalAt = cluster.kill(victim); // taken right before SIGKILL
    Detection d = awaitRemoved(victim, signalAt);
    long recoveredAt = System.currentTimeMillis();
    startNode(victim);
    boolean settled = awaitSettled("after kill " + r + " the cluster did not settle");
    d = finish(victim, signalAt, recoveredAt);
    report("kill", r, options.kills(), victim, d, recoveredAt, settled, "restarted");
    return d;
  }

  private Detection stopRun(int r, int victim) throws IOException, InterruptedException {
    long signalAt = System.currentTimeMillis(); // right before SIGSTOP (kill -STOP PID)
    cluster.pause(victim);
    Detection d = awaitRemoved(victim, signalAt);
    long recoveredAt = System.currentTimeMillis();
    cluster.resume(victim);
    boolean settled = awaitSettled("after stop " + r + " the cluster did not settle");
    d = finish(victim, signalAt, recoveredAt);
    report("stop", r, options.stops(), victim, d, recoveredAt, settled, "resumed");
    return d;
  }

  /** Polls the event logs until every survivor removed the victim, or the timeout passes. */
  private Detection awaitRemoved(int victim, long signalAt)
      throws IOException, InterruptedException {
    while (true) {
      pollLogs();
      Detection d = detection(victim, signalAt, Long.MAX_VALUE);
      if (d.complete()) {
        return d;
      }
      if (System.currentTimeMillis() - signalAt > options.timeoutMillis()) {
        problems.add("node " + victim + " (" + cluster.address(victim) + ") was not removed by "
            + d.missing() + " within " + options.timeoutMillis() + " ms");
        return d;
      }
      Thread.sleep(POLL_MILLIS); // polling files the nodes write
    }
  }

  /** The run as the event logs tell it now, once the cluster settled after the recovery. */
  private Detection finish(int victim, long signalAt, long recoveredAt) throws IOException {
    pollLogs();
    return detection(victim, signalAt, recoveredAt);
  }

  private Detection detection(int victim, long signalAt, long recoveredAt) {
    List<Address> survivors = new ArrayList<>();
    for (int i = 1; i <= options.ports().size(); i++) {
      if (i != victim) {
        survivors.add(cluster.address(i));
      }
    }
    return Detection.of(cluster.address(victim), survivors, signalAt, recoveredAt, events);
  }

  private void report(String kind, int r, int runs, int victim, Detection d, long recoveredAt,
      boolean settled, String recovered) {
    load.sample();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %d/%d: node %d (%s): ",
        kind, r, runs, victim, cluster.address(victim)));
    if (d.complete()) {
      line.append(String.format(Locale.ROOT,
          "first suspected after %s, first removed after %d ms, removed by all %d survivors"
              + " after %d ms",
          d.firstSuspectedMillis() < 0 ? "?" : d.firstSuspectedMillis() + " ms",
          d.firstRemovedMillis(), d.survivors().size(), d.allRemovedMillis()));
    } else {
      line.append("NOT removed by ").append(d.missing()).append(" within ")
          .append(options.timeoutMillis()).append(" ms");
    }
    line.append("; ").append(recovered);
    if (settled) {
      line.append(String.format(Locale.ROOT, ", settled %.1f s later",
          (System.currentTimeMillis() - recoveredAt) / 1000.0));
    } else {
      line.append(", did NOT settle: ").append(settling.problem());
    }
    if (!d.collateral().none()) {
      line.append("; other: ").append(d.collateral().describe(d.signalAt()));
    }
    print(line.toString());
  }

  private Soak soak() throws IOException, InterruptedException {
    List<Address> nodes = new ArrayList<>();
    for (int i = 1; i <= options.ports().size(); i++) {
      nodes.add(cluster.address(i));
    }
    Map<String, Long> before = counters();
    long start = System.currentTimeMillis();
    long deadline = System.nanoTime() + options.soakSeconds() * 1_000_000_000L;
    if (options.kvclient() != null) {
      List<String> command = BenchLoad.command(options.kvclient(), nodes,
          options.soakSeconds(), options.rate());
      print("soak: " + options.soakSeconds() + " s, nothing killed, under load: "
          + String.join(" ", command.subList(1, command.size())));
      bench = BenchLoad.start(command, options.runDir());
      recordPid(bench.pid(), command.get(2)); // the node list, in its command line
    } else {
      print("soak: " + options.soakSeconds() + " s, nothing killed, no load");
    }
    long nextProgress = start + SOAK_PROGRESS_MILLIS;
    long nextSample = start;
    while (System.nanoTime() < deadline && (bench == null || bench.running())) {
      Thread.sleep(SETTLE_POLL_MILLIS); // the soak runs in real time, by design
      pollLogs();
      if (System.currentTimeMillis() >= nextSample) {
        nextSample += LOAD_SAMPLE_MILLIS;
        load.sample();
      }
      if (System.currentTimeMillis() >= nextProgress) {
        nextProgress += SOAK_PROGRESS_MILLIS;
        print(String.format(Locale.ROOT, "soak +%d s: %s so far",
            (System.currentTimeMillis() - start) / 1000, alarmsSince(start).brief()));
      }
    }
    int status = 0;
    String summary = "";
    if (bench != null) {
      status = bench.await(deadline + BenchLoad.GRACE_MILLIS * 1_000_000L);
      summary = bench.summary();
      if (status != 0 && status != BenchLoad.SOME_REQUESTS_FAILED) {
        problems.add("kvclient bench " + (status < 0 ? "did not finish in time and was killed"
            : "exited with status " + status) + "; its last words: " + bench.errorTail(5)
            + " (" + options.runDir().resolve("bench.log") + ")");
      }
      bench = null;
    }
    // Whatever the load set off (a suspicion raised in its last second) is logged by now.
    awaitSettled("after the soak the cluster did not settle");
    pollLogs();
    Map<String, Long> after = counters();
    Map<String, Long> deltas = new TreeMap<>();
    for (String name : SOAK_COUNTERS) {
      deltas.put(name, after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L));
    }
    Alarms alarms = alarmsSince(start);
    print("soak over: " + alarms.describe(start));
    return new Soak((System.currentTimeMillis() - start) / 1000, alarms, deltas, status,
        summary);
  }

  private Alarms alarmsSince(long start) {
    return Alarms.among(events.stream().filter(e -> e.timeMillis() >= start).toList());
  }

  /** The soak counters summed over every node that answers (all of them, when settled). */
  private Map<String, Long> counters() {
    Map<String, Long> sum = new TreeMap<>();
    for (int i = 1; i <= options.ports().size(); i++) {
      Optional<StatusReply> status = cluster.status(i);
      if (status.isEmpty()) {
        problems.add("node " + i + " did not answer a status request during the soak");
        continue;
      }
      for (String name : SOAK_COUNTERS) {
        sum.merge(name, status.get().counters().getOrDefault(name, 0L), Long::sum);
      }
    }
    return sum;
  }

  /**
   * Waits until every node runs, sees all of them alive and nobody suspect, and stabilization
   * has been quiet for a few seconds; records {@code problem} when that takes too long.
   */
  private boolean awaitSettled(String problem) throws IOException, InterruptedException {
    List<Integer> all = new ArrayList<>();
    for (int i = 1; i <= options.ports().size(); i++) {
      all.add(i);
    }
    settling.reset();
    long deadline = System.nanoTime() + SETTLE_BOUND_MILLIS * 1_000_000;
    while (!settling.poll(all, System.nanoTime() / 1_000_000)) {
      for (int i : all) {
        if (!cluster.running(i)) {
          problems.add(problem + ": node " + i + " exited; see "
              + options.runDir().resolve("node" + i).resolve("node.log"));
          return false;
        }
      }
      if (System.nanoTime() > deadline) {
        problems.add(problem + " within " + SETTLE_BOUND_MILLIS + " ms: " + settling.problem()
            + "; see the node logs in " + options.runDir());
        return false;
      }
      pollLogs();
      Thread.sleep(SETTLE_POLL_MILLIS); // polling real processes from outside
    }
    return true;
  }

  private void startNode(int i) throws IOException {
    cluster.start(i);
    recordPid(cluster.pid(i), cluster.eventLog(i).toString());
  }

  /** Appends "PID, tab, marker" to the pid file, for the script's sweep. */
  private void recordPid(long pid, String marker) throws IOException {
    if (options.pidFile() != null) {
      Files.writeString(options.pidFile(), pid + "\t" + marker + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  private void pollLogs() throws IOException {
    for (EventTail tail : tails) {
      events.addAll(tail.poll());
    }
  }

  /** Kills the bench and every node, whatever goes wrong, and drops the shutdown hook. */
  private void shutDown(Thread hook) throws IOException, InterruptedException {
    BenchLoad b = bench;
    if (b != null) {
      b.kill();
    }
    try {
      cluster.killAllAndClose();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs (or ran) anyway
      }
    }
  }

  /** Starts each bench with fresh node logs (LocalCluster appends, for restarts). */
  private void clearLogs(int n) throws IOException {
    for (int i = 1; i <= n; i++) {
      Path dir = options.runDir().resolve("node" + i);
      Files.deleteIfExists(dir.resolve("node.log"));
      Files.deleteIfExists(dir.resolve("events.jsonl"));
    }
    Files.deleteIfExists(options.runDir().resolve("bench.json"));
    Files.deleteIfExists(options.runDir().resolve("bench.log"));
  }

  private void print(String line) {
    out.println(line);
    out.flush();
  }
}
