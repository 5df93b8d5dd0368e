package io.quorumkv.it;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.node.emul.TimedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real kvnode processes on loopback, for the integration tests and the grader: started with the
 * local preset, each with its own log and event log under a run directory, killed with SIGKILL,
 * paused with SIGSTOP and resumed with SIGCONT, or stopped with SIGTERM. Only processes this class
 * started are ever signalled, by their own {@link Process} handles or process ids.
 *
 * <p>Starting and signalling are synchronized (in {@link NodeProcesses}), so that
 * {@link #killAllNow} may run on another thread (a shutdown hook) while a driver still uses the
 * cluster: once it ran, nothing new is started.
 *
 * <p>Its parts: {@link NodeLauncher}, {@link NodeProcesses} (a {@link NodeProcess} a node),
 * {@link RunDirectory}, {@link LoopbackPorts}, {@link StatusProbe} and {@link ClusterEvents}.
 */
public final class LocalCluster implements AutoCloseable {

  /** The node JVM's flags unless {@link #withJvmFlags} says otherwise: small, for many nodes. */
  public static final List<String> DEFAULT_JVM_FLAGS =
      List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final RunDirectory dirs;
  private final List<Address> addresses;
  private final NodeLauncher launcher;
  private final NodeProcesses processes;
  private final ClusterEvents eventLogs;
  private final StatusProbe probe;

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
    Path jar = NodeLauncher.existingJar(kvnodeJar);
    this.dirs = new RunDirectory(runDir.toAbsolutePath());
    Files.createDirectories(dirs.root());
    this.addresses = LoopbackPorts.addresses(ports);
    // Logs are appended to across a node's restarts, but an earlier cluster's are another run's:
    // waiting for a start line found the old one, and reading events read the old run's (a
    // second RealGradeTest in one checkout scored 0 of 90).
    dirs.deleteLogs(addresses.size());
    this.launcher = new NodeLauncher(jar, dirs, addresses);
    this.processes = new NodeProcesses(launcher);
    this.eventLogs = new ClusterEvents(dirs, addresses.size());
    this.probe = new StatusProbe(addresses.get(0));
  }

  /** Starts node {@code i} (1-based). */
  public void start(int i) throws IOException {
    start(i, List.of());
  }

  /** Starts node {@code i} (1-based) with extra kvnode flags (testing faults, for example). */
  public void start(int i, List<String> extraFlags) throws IOException {
    processes.start(i, extraFlags);
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
    launcher.awaitReady(nodes, bound, this::running);
  }

  /** Starts node {@code i}, booted with {@link #prepare}, now. */
  public void release(int i) throws IOException {
    processes.get(i).release();
  }

  public void startAll() throws IOException {
    for (int i = 1; i <= addresses.size(); i++) {
      start(i);
    }
  }

  /** SIGKILL node {@code i} and wait for it to be gone; returns the wall-clock kill time. */
  public long kill(int i) throws InterruptedException {
    return processes.kill(i);
  }

  public Address address(int i) {
    return addresses.get(i - 1);
  }

  public int size() {
    return addresses.size();
  }

  public Path eventLog(int i) {
    return dirs.eventLog(i);
  }

  /**
   * From now on every node starts with {@code --data-dir} {@link #dataDir}, so a restarted node
   * comes back with its records (off by default: records in memory). Call it before the first
   * start: it deletes the data directories an earlier run left in this run directory, whose
   * nodes had other ports and whose stores would be refused as another node's.
   */
  public LocalCluster withDataDirectories() throws IOException {
    dirs.deleteDataDirs(addresses.size());
    launcher.durable();
    return this;
  }

  /**
   * From now on every node's JVM starts with {@code flags} instead of {@link #DEFAULT_JVM_FLAGS}
   * (a larger heap, for a node that holds many keys).
   */
  public LocalCluster withJvmFlags(List<String> flags) {
    launcher.jvmFlags(flags);
    return this;
  }

  /**
   * From now on every node starts with {@code --preset NAME} instead of {@code local} (lan:
   * slower failure detection, which rides out the long pauses of a node holding many keys on a
   * busy machine).
   */
  public LocalCluster withPreset(String name) {
    launcher.preset(name);
    return this;
  }

  /**
   * From now on nodes start without {@code --event-log-kv}, as {@code scripts/cluster.sh} starts
   * them: their event logs hold membership events only, not a line per request and role, which
   * under load would be most of the disk traffic (and {@link #kvEvents} would count nothing).
   */
  public LocalCluster withoutKeyValueEvents() {
    launcher.withoutKeyValueEvents();
    return this;
  }

  /** Node {@code i}'s data directory, used when {@link #withDataDirectories} is on. */
  public Path dataDir(int i) {
    return dirs.dataDir(i);
  }

  /** Node {@code i}'s member list, or empty if it does not answer. */
  public Optional<Map<Address, MemberStatus>> view(int i) {
    return probe.view(address(i));
  }

  /** Node {@code i}'s status (member list and counters), or empty if it does not answer. */
  public Optional<StatusReply> status(int i) {
    return probe.status(address(i));
  }

  /** True when node {@code i} answers and sees exactly {@code expected} as alive, nobody suspect. */
  public boolean sees(int i, List<Address> expected) {
    return status(i).map(s -> seesExactly(s, expected)).orElse(false);
  }

  /** True when {@code status} shows exactly {@code expected} as alive, and nobody suspect. */
  public static boolean seesExactly(StatusReply status, List<Address> expected) {
    return StatusProbe.seesExactly(status, expected);
  }

  /** The "removed" events node {@code i} logged about {@code subject}: their wall-clock times. */
  public List<Long> removalTimes(int i, Address subject) throws IOException {
    return eventLogs.removalTimes(i, subject);
  }

  /**
   * Counts key-value outcome events in every node's event log (the logs of killed nodes
   * included) with this role ("coordinator", "replica"), operation, outcome ("success", "fail")
   * and key.
   */
  public long kvEvents(String role, String op, String outcome, String key) throws IOException {
    return eventLogs.kvEvents(role, op, outcome, key);
  }

  /**
   * Pauses node {@code i} with SIGSTOP: the process stays, but neither reads nor answers
   * anything until {@link #resume}; the kernel keeps queueing its datagrams meanwhile (as many as
   * its socket buffer holds).
   */
  public void pause(int i) throws IOException, InterruptedException {
    processes.pause(i);
  }

  /** Resumes node {@code i}, paused with {@link #pause}, with SIGCONT. */
  public void resume(int i) throws IOException, InterruptedException {
    processes.resume(i);
  }

  /** True while node {@code i} is paused with {@link #pause}. */
  public boolean paused(int i) {
    return processes.paused(i);
  }

  /** Node {@code i}'s process id, while it runs. */
  public long pid(int i) {
    return processes.pid(i);
  }

  /** The process ids of every node process this cluster ever started, in start order. */
  public List<Long> startedPids() {
    return processes.startedPids();
  }

  /**
   * SIGKILLs every node at once, paused ones included, without waiting, and starts nothing
   * afterwards: for a shutdown hook, when the driver may be stuck or interrupted.
   */
  public void killAllNow() {
    processes.killAllNow();
  }

  /**
   * For a command-line tool: on Ctrl-C (or any JVM exit while nodes still run) a shutdown hook
   * SIGKILLs every node at once and says so, as {@code TOOL: interrupted: ...};
   * {@link #killAllAndClose} removes the hook.
   */
  public LocalCluster killOnShutdown(String tool) {
    processes.killOnShutdown(tool);
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
      processes.removeShutdownHook();
    }
  }

  /**
   * Stops every node still running: SIGTERM (graceful leave), then SIGKILL after a grace period.
   * Paused nodes are resumed first, so that they can leave too.
   */
  @Override
  public void close() throws IOException, InterruptedException {
    processes.close();
    probe.close();
  }

  /** True while node {@code i} runs a process this cluster started (paused or not). */
  public boolean running(int i) {
    return processes.running(i);
  }

  /** SIGKILLs every node still running, so nothing more is logged (no graceful leave). */
  public void killAll() throws InterruptedException {
    processes.killAll();
  }

  /** Every node's events, as the emulator records them: times relative to {@code originMillis}. */
  public List<TimedEvent> events(long originMillis) throws IOException {
    return eventLogs.all(originMillis);
  }

  public Duration startupBound() {
    // JVM start on a loaded two-core machine plus a few join rounds.
    return Duration.ofSeconds(30);
  }
}
