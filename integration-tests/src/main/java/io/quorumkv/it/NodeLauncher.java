package io.quorumkv.it;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.net.StartSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Starts the kvnode processes of a {@link LocalCluster}: the command line (the JVM's flags, the
 * jar, the node's address, the seeds, the preset, the event log and, for durable nodes, the data
 * directory), each process's output appended to its {@code node.log}, and the wait for nodes
 * booted with {@code --await-start} to say they are ready. The settings are the cluster's
 * {@code with...} choices, which apply to the nodes started after them.
 */
final class NodeLauncher {

  private static final long READY_POLL_MILLIS = 20;

  private final Path jar;
  private final RunDirectory dirs;
  /** Node i's address is the i-th (1-based); the first 3 are the seeds. */
  private final List<Address> addresses;
  private final List<Address> seeds;
  /** Whether nodes start with {@code --data-dir} (see {@link LocalCluster#withDataDirectories}). */
  private boolean durable;
  private List<String> jvmFlags = LocalCluster.DEFAULT_JVM_FLAGS;
  private String preset = "local";
  /** Whether nodes log key-value outcomes too (see {@link LocalCluster#withoutKeyValueEvents}). */
  private boolean kvEvents = true;

  NodeLauncher(Path jar, RunDirectory dirs, List<Address> addresses) {
    this.jar = jar;
    this.dirs = dirs;
    this.addresses = addresses;
    this.seeds = List.copyOf(addresses.subList(0, Math.min(3, addresses.size())));
  }

  /** {@code kvnodeJar} made absolute; throws when it is not there, saying how to build it. */
  static Path existingJar(Path kvnodeJar) {
    Path jar = kvnodeJar.toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("kvnode jar not found at " + jar
          + ": run 'mvn -B verify' from the repository root (it packages the node first)");
    }
    return jar;
  }

  void durable() {
    durable = true;
  }

  void jvmFlags(List<String> flags) {
    jvmFlags = List.copyOf(flags);
  }

  void preset(String name) {
    preset = name;
  }

  void withoutKeyValueEvents() {
    kvEvents = false;
  }

  /** Starts node {@code i} with {@code extraFlags} after the usual ones. */
  Process launch(int i, List<String> extraFlags) throws IOException {
    Path dir = dirs.node(i);
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", jar.toString(),
        "--bind", addresses.get(i - 1).toString(),
        "--seeds", String.join(",", seeds.stream().map(Address::toString).toList()),
        "--preset", preset,
        "--event-log", dirs.eventLog(i).toString()));
    if (kvEvents) {
      command.add("--event-log-kv");
    }
    if (durable) {
      command.addAll(List.of("--data-dir", dirs.dataDir(i).toString()));
    }
    command.addAll(extraFlags);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dirs.log(i).toFile()))
        .start();
  }

  /**
   * Waits until every node in {@code nodes} has printed {@link StartSignal#READY} in its log;
   * throws when one is no longer {@code running} or is not ready within {@code bound}.
   */
  void awaitReady(List<Integer> nodes, Duration bound, IntPredicate running)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    for (int i : nodes) {
      Path log = dirs.log(i);
      while (!Files.exists(log) || !Files.readString(log).contains(StartSignal.READY)) {
        if (!running.test(i)) {
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
}
