package io.quorumkv.it.chaos;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.client.KvOptions;
import io.quorumkv.client.KvResult;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.node.check.History;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The chaos run's clients: each on its own thread with its own {@link KvClient} over all the
 * nodes in a random order, one operation at a time, a random create, read, update, delete or put
 * on one of a few keys (so that clients collide) at a random consistency level. Values are unique
 * ("c2.17": client 2's 17th operation), so a value read names its write. Every operation goes
 * into the shared {@link History}: invoked just before the client sends it, completed just after
 * the answer, or given up (outcome unknown) when no node answered.
 *
 * <p>The client library does the failing over: a killed node's closed port fails at once, a
 * paused node costs {@link #ATTEMPTS_PER_NODE} attempts of the coordinator's deadline plus a
 * margin before the next node is asked, with the same request id and write timestamp.
 */
final class ChaosWorkload {

  /** The coordinator's deadline asked for (the local preset's default, said explicitly). */
  static final long REQUEST_TIMEOUT_MILLIS = 1_000;
  static final int ATTEMPTS_PER_NODE = 2;
  /** Longest pause between one client's operations; short, yet leaving the nodes some CPU. */
  static final int MAX_THINK_MILLIS = 20;

  private final List<Address> nodes;
  private final List<String> keys;
  private final History history;
  private final LongSupplier clock;
  private final List<Thread> threads = new ArrayList<>();
  private final List<KvClient> clients = new ArrayList<>();
  private volatile boolean stopping;

  /**
   * @param clock milliseconds since the run began, from a monotonic clock shared by every thread
   */
  ChaosWorkload(List<Address> nodes, List<String> keys, History history, LongSupplier clock) {
    this.nodes = List.copyOf(nodes);
    this.keys = List.copyOf(keys);
    this.history = history;
    this.clock = clock;
  }

  /** Starts {@code count} clients, numbered from 0, each drawing from its own split of {@code random}. */
  void start(int count, SplittableRandom random) throws IOException {
    for (int c = 0; c < count; c++) {
      SplittableRandom mine = random.split();
      List<Address> order = new ArrayList<>(nodes);
      Collections.shuffle(order, new Random(mine.nextLong()));
      KvClient client = KvClient.open(order, clientConfig());
      clients.add(client);
      int id = c;
      Thread t = new Thread(() -> loop(id, client, mine), "chaos-client-" + c);
      t.setDaemon(true); // never keeps a broken run's JVM alive
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  /**
   * Lets every client finish the operation in flight and stop; true when all stopped within
   * {@code boundMillis}. The clients' sockets are closed either way.
   */
  boolean stop(long boundMillis) throws InterruptedException, IOException {
    stopping = true;
    long deadline = System.nanoTime() + boundMillis * 1_000_000;
    boolean all = true;
    for (Thread t : threads) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      all &= !t.isAlive();
    }
    for (KvClient c : clients) {
      c.close();
    }
    return all;
  }

  static ClientConfig clientConfig() {
    return new ClientConfig(300, ATTEMPTS_PER_NODE);
  }

  private void loop(int id, KvClient client, SplittableRandom random) {
    int seq = 0;
    while (!stopping) {
      KvOp op = pick(random);
      String key = keys.get(random.nextInt(keys.size()));
      String value = op.carriesValue() ? "c" + id + "." + ++seq : "";
      int c = random.nextInt(100);
      Consistency consistency = c < 70 ? Consistency.QUORUM : c < 85 ? Consistency.ONE
          : Consistency.ALL;
      run(client, id, op, key, value, consistency);
      try {
        Thread.sleep(random.nextInt(MAX_THINK_MILLIS + 1)); // think time, real by design
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void run(KvClient client, int id, KvOp op, String key, String value,
      Consistency consistency) {
    execute(history, clock, client, id, op, key, value, consistency);
  }

  /**
   * Runs one operation through {@code client} as client {@code id}, recorded in
   * {@code history} with times from {@code clock}; the result, or null when no node answered.
   */
  static KvResult execute(History history, LongSupplier clock, KvClient client, int id, KvOp op,
      String key, String value, Consistency consistency) {
    int op0 = history.invoke(id, op, key, value, consistency, client.firstToAsk(),
        clock.getAsLong());
    try {
      KvResult r = client.execute(op, key, value,
          new KvOptions(consistency, REQUEST_TIMEOUT_MILLIS));
      // A refusal after a retry may follow an earlier attempt's success: the history knows.
      history.complete(op0, new KvReply(r.status(), r.value(), r.version(), r.reason()),
          clock.getAsLong(), r.retried());
      return r;
    } catch (KvClientException e) {
      history.giveUp(op0, clock.getAsLong());
      return null;
    }
  }

  /** The op mix, in percent: a third reads, the rest writes of every kind, puts the most. */
  private static final Map<KvOp, Integer> MIX = new EnumMap<>(Map.of(KvOp.READ, 35, KvOp.PUT, 30,
      KvOp.CREATE, 10, KvOp.UPDATE, 13, KvOp.DELETE, 12));

  private static KvOp pick(SplittableRandom random) {
    int r = random.nextInt(100);
    for (Map.Entry<KvOp, Integer> e : MIX.entrySet()) {
      r -= e.getValue();
      if (r < 0) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("the mix adds up to less than 100");
  }
}
