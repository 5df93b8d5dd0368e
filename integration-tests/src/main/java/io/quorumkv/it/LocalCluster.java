package io.quorumkv.it;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import io.quorumkv.node.net.StartSignal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Real kvnode processes on loopback, for the integration tests and the grader: started with the
 * local preset, each with its own log and event log under a run directory, killed with SIGKILL,
 * paused with SIGSTOP and resumed with SIGCONT, or stopped with SIGTERM. Only processes this class
 * started are ever signalled, by their own {@link Process} handles or process ids.
 *
 * <p>Starting and signalling are synchronized, so that {@link #killAllNow} may run on another
 * thread (a shutdown hook) while a driver still uses the cluster: once it ran, nothing new is
 * started.
 */
public final class LocalCluster implements AutoCloseable {

  private static final long READY_POLL_MILLIS = 20;

  /** The node JVM's flags unless {@link #withJvmFlags} says otherwise: small, for many nodes. */
  public static final List<String> DEFAULT_JVM_FLAGS =
      List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final Path runDir;
  private final Path jar;
  private final List<Address> addresses = new ArrayList<>();
  private final List<Address> seeds;
  private final Map<Integer, Process> processes = new TreeMap<>();
  private final Set<Integer> paused = new TreeSet<>();
  private final List<Long> startedPids = new ArrayList<>();
  private final KvClient client;
  private boolean closed;
  /** Whether nodes start with {@code --data-dir} (see {@link #withDataDirectories}). */
  private boolean durable;
  private List<String> jvmFlags = DEFAULT_JVM_FLAGS;
  private String preset = "local";
  /** The shutdown hook of {@link #killOnShutdown}, or null. */
  private Thread shutdownHook;
  /** Whether nodes log key-value outcomes too (see {@link #withoutKeyValueEvents}). */
  private boolean kvEvents = true;

  /**
   * A cluster of {@code size} nodes under {@code target/it-runs/NAME}, run from the jar named by
   * the {@code kvnode.jar} system property (the integration tests' surefire sets it).
   */
  public LocalCluster(String name, int size) throws IOException {
    this(Path.of(System.getProperty("kvnode.jar", "../kvnode/target/kvnode.jar")),
        Path.of("target", "it-runs", name), size);
  }

  /**
   * Reserves {@code size} loopback ports; node i (1-based) gets the i-th, the first 3 are seeds.
   * Starts nothing yet.
   */
  public LocalCluster(Path kvnodeJar, Path runDir, int size) throws IOException {
    this(kvnodeJar, runDir, LoopbackPorts.free(size));
  }

  /**
   * A cluster whose node i (1-based) listens on the i-th of {@code ports} (for a tool that must
   * keep to a range of ports); the first 3 are seeds. Starts nothing yet.
   */
  public LocalCluster(Path kvnodeJar, Path runDir, List<Integer> ports) throws IOException {
    this.jar = kvnodeJar.toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("kvnode jar not found at " + jar
          + ": run 'mvn -B verify' from the repository root (it packages the node first)");
    }
    this.runDir = runDir.toAbsolutePath();
    Files.createDirectories(this.runDir);
    for (int port : ports) {
      if (!LoopbackPorts.isFree(port)) {
        throw new IllegalStateException("UDP port " + port + " on 127.0.0.1 is in use");
      }
      addresses.add(new Address("127.0.0.1", port));
    }
    this.seeds = List.copyOf(addresses.subList(0, Math.min(3, ports.size())));
    this.client = KvClient.open(List.of(addresses.get(0)), new ClientConfig(300, 2));
  }

  /** Starts node {@code i} (1-based). */
  public void start(int i) throws IOException {
    start(i, List.of());
  }

  /** Starts node {@code i} (1-based) with extra kvnode flags (testing faults, for example). */
  public synchronized void start(int i, List<String> extraFlags) throws IOException {
    if (closed) {
      throw new IllegalStateException("cluster is closed: node " + i + " not started");
    }
    if (running(i)) {
      throw new IllegalStateException("node " + i + " is already running");
    }
    Path dir = runDir.resolve("node" + i);
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", jar.toString(),
        "--bind", address(i).toString(),
        "--seeds", String.join(",", seeds.stream().map(Address::toString).toList()),
        "--preset", preset,
        "--event-log", eventLog(i).toString()));
    if (kvEvents) {
      command.add("--event-log-kv");
    }
    if (durable) {
      command.addAll(List.of("--data-dir", dataDir(i).toString()));
    }
    command.addAll(extraFlags);
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
        .start();
    processes.put(i, p);
    startedPids.add(p.pid());
  }

  /**
   * Boots node {@code i} with {@code --await-start}: its JVM starts now, and the node binds and
   * joins only at {@link #release}, so that its start time does not depend on how long a loaded
   * machine takes to start a JVM.
   */
  public void prepare(int i, List<String> extraFlags) throws IOException {
    List<String> flags = new ArrayList<>(extraFlags);
    flags.add("--await-start");
    start(i, flags);
  }

  /**
   * Waits until every node in {@code nodes}, booted with {@link #prepare}, says it is ready to
   * start; throws when one has exited or is not ready within {@code bound}.
   */
  public void awaitReady(List<Integer> nodes, Duration bound)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    for (int i : nodes) {
      Path log = runDir.resolve("node" + i).resolve("node.log");
      while (!Files.exists(log) || !Files.readString(log).contains(StartSignal.READY)) {
        if (!running(i)) {
          throw new IllegalStateException("node " + i + " exited before it was ready; see " + log);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("node " + i + " was not ready to start within "
              + bound.toMillis() + " ms (is the machine overloaded?); see " + log);
        }
        Thread.sleep(READY_POLL_MILLIS); // polling a file another process writes
      }
    }
  }

  /** Starts node {@code i}, booted with {@link #prepare}, now. */
  public void release(int i) throws IOException {
    OutputStream in = processes.get(i).getOutputStream();
    in.write('\n');
    in.flush();
  }

  public void startAll() throws IOException {
    for (int i = 1; i <= addresses.size(); i++) {
      start(i);
    }
  }

  /** SIGKILL node {@code i} and wait for it to be gone; returns the wall-clock kill time. */
  public synchronized long kill(int i) throws InterruptedException {
    Process p = processes.remove(i);
    paused.remove(i); // SIGKILL ends a stopped process too
    long at = System.currentTimeMillis();
    p.destroyForcibly();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("node " + i + " survived SIGKILL");
    }
    return at;
  }

  public Address address(int i) {
    return addresses.get(i - 1);
  }

  public int size() {
    return addresses.size();
  }

  public Path eventLog(int i) {
    return runDir.resolve("node" + i).resolve("events.jsonl");
  }

  /**
   * From now on every node starts with {@code --data-dir} {@link #dataDir}, so a restarted node
   * comes back with its records (off by default: records in memory). Call it before the first
   * start: it deletes the data directories an earlier run left in this run directory, whose
   * nodes had other ports and whose stores would be refused as another node's.
   */
  public LocalCluster withDataDirectories() throws IOException {
    for (int i = 1; i <= addresses.size(); i++) {
      deleteTree(dataDir(i));
    }
    durable = true;
    return this;
  }

  /**
   * From now on every node's JVM starts with {@code flags} instead of {@link #DEFAULT_JVM_FLAGS}
   * (a larger heap, for a node that holds many keys).
   */
  public LocalCluster withJvmFlags(List<String> flags) {
    jvmFlags = List.copyOf(flags);
    return this;
  }

  /**
   * From now on every node starts with {@code --preset NAME} instead of {@code local} (lan:
   * slower failure detection, which rides out the long pauses of a node holding many keys on a
   * busy machine).
   */
  public LocalCluster withPreset(String name) {
    preset = name;
    return this;
  }

  /**
   * From now on nodes start without {@code --event-log-kv}, as {@code scripts/cluster.sh} starts
   * them: their event logs hold membership events only, not a line per request and role, which
   * under load would be most of the disk traffic (and {@link #kvEvents} would count nothing).
   */
  public LocalCluster withoutKeyValueEvents() {
    kvEvents = false;
    return this;
  }

  /** Node {@code i}'s data directory, used when {@link #withDataDirectories} is on. */
  public Path dataDir(int i) {
    return runDir.resolve("node" + i).resolve("data");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Node {@code i}'s member list, or empty if it does not answer. */
  public Optional<Map<Address, MemberStatus>> view(int i) {
    return status(i).map(s -> {
      Map<Address, MemberStatus> view = new TreeMap<>();
      for (MemberStatus m : s.members()) {
        view.put(m.address(), m);
      }
      return view;
    });
  }

  /** Node {@code i}'s status (member list and counters), or empty if it does not answer. */
  public Optional<StatusReply> status(int i) {
    try {
      return Optional.of(client.status(address(i)));
    } catch (KvClientException e) {
      return Optional.empty();
    }
  }

  /** True when node {@code i} answers and sees exactly {@code expected} as alive, nobody suspect. */
  public boolean sees(int i, List<Address> expected) {
    return status(i).map(s -> seesExactly(s, expected)).orElse(false);
  }

  /** True when {@code status} shows exactly {@code expected} as alive, and nobody suspect. */
  public static boolean seesExactly(StatusReply status, List<Address> expected) {
    List<Address> alive = new ArrayList<>();
    for (MemberStatus m : status.members()) {
      if (m.state() == MemberState.SUSPECT) {
        return false;
      }
      if (m.state() == MemberState.ALIVE) {
        alive.add(m.address());
      }
    }
    return alive.stream().sorted().toList().equals(expected.stream().sorted().toList());
  }

  /** The "removed" events node {@code i} logged about {@code subject}: their wall-clock times. */
  public List<Long> removalTimes(int i, Address subject) throws IOException {
    List<Long> times = new ArrayList<>();
    for (TimedEvent e : EventLogReader.read(eventLog(i), 0)) {
      if (e.event() instanceof NodeEvent.Membership m && m.subject().equals(subject)
          && m.change() == NodeEvent.MembershipChange.REMOVED) {
        times.add(e.timeMillis());
      }
    }
    return times;
  }

  /**
   * Counts key-value outcome events in every node's event log (the logs of killed nodes
   * included) with this role ("coordinator", "replica"), operation, outcome ("success", "fail")
   * and key.
   */
  public long kvEvents(String role, String op, String outcome, String key) throws IOException {
    return events(0).stream().map(TimedEvent::event)
        .filter(e -> e instanceof NodeEvent.KvOutcome kv
            && kv.role().name().equalsIgnoreCase(role) && kv.op().wireName().equals(op)
            && kv.success() == outcome.equals("success") && kv.key().equals(key))
        .count();
  }

  /**
   * Pauses node {@code i} with SIGSTOP: the process stays, but neither reads nor answers
   * anything until {@link #resume}; the kernel keeps queueing its datagrams meanwhile (as many as
   * its socket buffer holds).
   */
  public synchronized void pause(int i) throws IOException, InterruptedException {
    if (!running(i) || paused.contains(i)) {
      throw new IllegalStateException("node " + i + " is not running unpaused");
    }
    signal(i, "STOP");
    paused.add(i);
  }

  /** Resumes node {@code i}, paused with {@link #pause}, with SIGCONT. */
  public synchronized void resume(int i) throws IOException, InterruptedException {
    if (!paused.contains(i)) {
      throw new IllegalStateException("node " + i + " is not paused");
    }
    signal(i, "CONT");
    paused.remove(i);
  }

  /** True while node {@code i} is paused with {@link #pause}. */
  public synchronized boolean paused(int i) {
    return paused.contains(i);
  }

  /** Node {@code i}'s process id, while it runs. */
  public synchronized long pid(int i) {
    Process p = processes.get(i);
    if (p == null) {
      throw new IllegalStateException("node " + i + " is not running");
    }
    return p.pid();
  }

  /** The process ids of every node process this cluster ever started, in start order. */
  public synchronized List<Long> startedPids() {
    return List.copyOf(startedPids);
  }

  /**
   * SIGKILLs every node at once, paused ones included, without waiting, and starts nothing
   * afterwards: for a shutdown hook, when the driver may be stuck or interrupted.
   */
  public synchronized void killAllNow() {
    closed = true;
    for (Process p : processes.values()) {
      p.destroyForcibly();
    }
  }

  /**
   * For a command-line tool: on Ctrl-C (or any JVM exit while nodes still run) a shutdown hook
   * SIGKILLs every node at once and says so, as {@code TOOL: interrupted: ...};
   * {@link #killAllAndClose} removes the hook.
   */
  public synchronized LocalCluster killOnShutdown(String tool) {
    shutdownHook = new Thread(() -> {
      System.err.println(tool + ": interrupted: killing every node this run started");
      killAllNow();
    }, tool + "-kill-nodes");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    return this;
  }

  /**
   * SIGKILLs every node still running (no leave, nothing more logged), whatever goes wrong on
   * the way closes the cluster, and removes the hook of {@link #killOnShutdown}.
   */
  public void killAllAndClose() throws IOException, InterruptedException {
    try {
      killAll();
    } finally {
      close();
      Thread hook;
      synchronized (this) {
        hook = shutdownHook;
        shutdownHook = null;
      }
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook runs (or ran) anyway
        }
      }
    }
  }

  /**
   * Stops every node still running: SIGTERM (graceful leave), then SIGKILL after a grace period.
   * Paused nodes are resumed first, so that they can leave too.
   */
  @Override
  public synchronized void close() throws IOException, InterruptedException {
    closed = true;
    for (int i : List.copyOf(paused)) {
      resume(i);
    }
    for (Process p : processes.values()) {
      p.destroy();
    }
    for (Process p : processes.values()) {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    }
    processes.clear();
    client.close();
  }

  /** True while node {@code i} runs a process this cluster started (paused or not). */
  public synchronized boolean running(int i) {
    Process p = processes.get(i);
    return p != null && p.isAlive();
  }

  /** SIGKILLs every node still running, so nothing more is logged (no graceful leave). */
  public synchronized void killAll() throws InterruptedException {
    for (int i : List.copyOf(processes.keySet())) {
      kill(i);
    }
  }

  /** Every node's events, as the emulator records them: times relative to {@code originMillis}. */
  public List<TimedEvent> events(long originMillis) throws IOException {
    List<TimedEvent> all = new ArrayList<>();
    for (int i = 1; i <= addresses.size(); i++) {
      all.addAll(EventLogReader.read(eventLog(i), originMillis));
    }
    all.sort(java.util.Comparator.comparingLong(TimedEvent::timeMillis));
    return all;
  }

  public Duration startupBound() {
    // JVM start on a loaded two-core machine plus a few join rounds.
    return Duration.ofSeconds(30);
  }

  private void signal(int i, String name) throws IOException, InterruptedException {
    ProcessSignals.send(pid(i), name, "node " + i);
  }
}
