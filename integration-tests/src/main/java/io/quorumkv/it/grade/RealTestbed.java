package io.quorumkv.it.grade;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.client.KvOptions;
import io.quorumkv.client.KvResult;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.it.LocalCluster;
import io.quorumkv.node.emul.TimedEvent;
import io.quorumkv.node.grade.KvScenario;
import io.quorumkv.node.grade.Testbed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The seed's test drivers' cluster as real kvnode processes on loopback: node i is
 * {@code cluster} node i + 1, with the local preset, crashed with SIGKILL. Every JVM boots first
 * ({@code --await-start}); tick 0 is when all are ready, and {@link #start} only tells a node to
 * bind and join, so node i starts at its tick however long the machine took to start JVMs.
 * Requests go through the client library, one client per node that talks to that node only (so
 * a slow coordinator is waited for, never replaced by a second one that would log a second
 * outcome). Ticks are wall-clock: tick t begins {@code t * 100} ms after the origin.
 */
final class RealTestbed implements Testbed, AutoCloseable {

  /** How long 10 JVMs may take to boot on a loaded two-core machine. */
  private static final Duration BOOT_BOUND = Duration.ofSeconds(120);

  private final LocalCluster cluster;
  private final Pacer pacer;
  private final List<KvClient> clients = new ArrayList<>();
  private final List<String> answers = new ArrayList<>();
  private long asked;

  /**
   * Boots every node of {@code cluster} (node i with {@code flags.apply(i)}, i from 0) and waits
   * until all are ready to start; tick 0 begins right after.
   */
  RealTestbed(LocalCluster cluster, IntFunction<List<String>> flags) throws IOException,
      InterruptedException {
    this.cluster = cluster;
    List<Integer> all = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      cluster.prepare(i, flags.apply(i - 1));
      all.add(i);
    }
    cluster.awaitReady(all, BOOT_BOUND);
    // Tick 0 a little ahead, so the first nodes start on time.
    this.pacer = new Pacer(System.currentTimeMillis() + 100, KvScenario.TICK_MILLIS);
    for (int i = 1; i <= cluster.size(); i++) {
      // Locate asks need little patience; key-value attempts wait for the coordinator's deadline.
      clients.add(KvClient.open(List.of(cluster.address(i)), new ClientConfig(500, 3)));
    }
  }

  @Override
  public List<Address> nodes() {
    List<Address> out = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      out.add(cluster.address(i));
    }
    return out;
  }

  /** Milliseconds since tick 0 began, as wall-clock epoch milliseconds. */
  long origin() {
    return pacer.origin();
  }

  @Override
  public void start(int index) {
    try {
      cluster.release(index + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + (index + 1), e);
    }
  }

  @Override
  public void crash(int index) {
    try {
      cluster.kill(index + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing node " + (index + 1), e);
    }
  }

  @Override
  public boolean isLive(int index) {
    return cluster.running(index + 1);
  }

  @Override
  public List<Address> replicasOf(int asker, String key) {
    try {
      return clients.get(asker).locate(key).replicas();
    } catch (KvClientException e) {
      answers.add("locate " + key + " via " + cluster.address(asker + 1) + " -> " + e.getMessage());
      return List.of();
    }
  }

  @Override
  public void submit(int coordinator, KvOp op, String key, String value) {
    String request = "#" + ++asked + " tick " + nowMillis() / KvScenario.TICK_MILLIS + " "
        + op.wireName() + " " + key + " via " + cluster.address(coordinator + 1);
    try {
      KvResult r = clients.get(coordinator).execute(op, key, value, KvOptions.defaults());
      answers.add(request + " -> " + r.status() + (r.reason().isEmpty() ? "" : " (" + r.reason()
          + ")"));
    } catch (KvClientException e) {
      answers.add(request + " -> no answer: " + e.getMessage());
    }
  }

  @Override
  public void awaitTick(int tick) {
    try {
      pacer.awaitTick(tick);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public long nowMillis() {
    return System.currentTimeMillis() - pacer.origin();
  }

  /** What the nodes logged so far (each flushes its event log after every loop turn). */
  @Override
  public List<TimedEvent> events() {
    try {
      return cluster.events(pacer.origin());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the event logs", e);
    }
  }

  @Override
  public List<String> answers() {
    return List.copyOf(answers);
  }

  @Override
  public void close() throws IOException {
    for (KvClient c : clients) {
      c.close();
    }
  }
}
