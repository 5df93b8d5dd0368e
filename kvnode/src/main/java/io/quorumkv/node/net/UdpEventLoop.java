package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.Counters;
import io.quorumkv.node.Node;
import io.quorumkv.node.storage.StorageFailure;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The production driver of a {@link Node}: one thread, one {@link Selector}, one non-blocking UDP
 * socket, and the node's single timer ({@link Node#nextWakeup()}).
 *
 * <p>Theory of operation. Each iteration waits on the selector until a datagram arrives or the
 * node's wake-up time comes, receives at most {@link #MAX_RECEIVES_PER_ITERATION} datagrams (so a
 * flood cannot starve the timers), runs {@link Node#onTick} if due, and then runs the
 * after-iteration hook (the event log's flush). After every call into the node the outbox is
 * drained onto the socket (after a received batch, not after each of its datagrams, so that
 * messages to one peer leave bundled in one datagram), except while the node's storage holds writes not yet synced (group
 * commit, see {@link io.quorumkv.node.storage.SyncPolicy#GROUP}): then everything queued but the
 * membership messages waits until the end of the iteration, when one sync covers all the
 * iteration's writes and the outbox is sent; an outbox half full syncs and sends early. So no
 * answer leaves before the writes it acknowledges are on the disk, and failure detection does
 * not wait for the disk. A {@link StorageFailure} is fatal: nothing queued is
 * sent, the loop ends and {@link #failed()} says so. Sends never block: a full socket buffer or
 * an I/O error drops the datagram and counts it, as UDP would. A {@link RuntimeException} from the node is counted
 * ({@code loop.errors}) and logged, and the loop goes on: the loop never dies of bad input.
 *
 * <p>Counters it adds to the node's: {@code net.received}, {@code net.sent},
 * {@code net.send.dropped} (socket buffer full), {@code net.send.errors},
 * {@code net.receive.errors}, {@code net.receive.unsupported-address} (a non-IPv4 sender),
 * {@code net.receive.dropped-by-fault} (the {@link ReceiveFilter}) and {@code loop.errors}.
 *
 * <p>Time given to the node is monotonic, from {@link System#nanoTime()}, so it never goes
 * backwards, and anchored to the wall clock read once at bind time, so it is also epoch
 * milliseconds (drifting from the wall clock only as the two clocks drift). The node uses it both
 * for its timers and as the physical part of its hybrid logical clock.
 *
 * <p>Lifecycle: {@link #bind} opens the socket (so the node can be built with its real address,
 * port 0 included), {@link #start} runs the loop thread, which first calls {@link Node#start},
 * and {@link #stop} asks it from any thread to
 * leave gracefully ({@link Node#leave}, flush the outbox, close the socket) and waits for it.
 */
public final class UdpEventLoop implements AutoCloseable {

  /** Most datagrams received per iteration before timers get their turn. */
  public static final int MAX_RECEIVES_PER_ITERATION = 256;

  /**
   * Messages queued while receiving a batch that are sent without waiting for its end: enough
   * for bundles of a dozen messages to each of a few peers, while the first answers of a
   * 256-datagram batch do not wait for all of it (a few milliseconds).
   */
  static final int SEND_EVERY_MESSAGES = 64;

  /** After the first node error (logged with its stack trace), at most one line per this period. */
  private static final long ERROR_LOG_PERIOD_MILLIS = 10_000;

  private static final System.Logger LOG = System.getLogger(UdpEventLoop.class.getName());

  private final DatagramChannel channel;
  private final Selector selector;
  private final Address address;
  private final long originNanos = System.nanoTime();
  /** Wall-clock time at {@link #originNanos}: anchors the monotonic clock to the epoch. */
  private final long originEpochMillis = System.currentTimeMillis();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private volatile boolean stopRequested;
  private volatile boolean failed;
  private volatile Thread thread;

  // Owned by the loop thread once started.
  private Node node;
  private Counters counters;
  private DatagramSender sender;
  private DatagramReceiver receiver;
  private ReceiveFilter filter;
  private Runnable afterIteration;
  private long nodeErrors;
  private long lastErrorLogMillis;

  private UdpEventLoop(DatagramChannel channel, Selector selector, Address address) {
    this.channel = channel;
    this.selector = selector;
    this.address = address;
  }

  /**
   * Opens a non-blocking IPv4 UDP socket bound to {@code requested} (port 0 picks a free port).
   * The host must be a concrete address, not the wildcard 0.0.0.0, because the bound address is
   * the node's identity in the cluster.
   *
   * @throws java.net.BindException when the port is in use
   * @throws IllegalArgumentException when the host does not resolve to a concrete IPv4 address
   */
  public static UdpEventLoop bind(Address requested) throws IOException {
    NodeSocket socket = NodeSocket.open(requested);
    return new UdpEventLoop(socket.channel(), socket.selector(), socket.address());
  }

  /** The address the socket is actually bound to; build the node with it. */
  public Address address() {
    return address;
  }

  /** Starts the loop thread for {@code node} with no receive fault and no after-iteration hook. */
  public void start(Node node) {
    start(node, ReceiveFilter.ALL, () -> { });
  }

  /**
   * Starts the loop thread, which first calls {@link Node#start}.
   *
   * @param filter decides which received datagrams reach the node (faults for tests)
   * @param afterIteration run on the loop thread after every iteration and once after leaving,
   *     for example the event log's flush; its exceptions are counted like the node's
   */
  public synchronized void start(Node node, ReceiveFilter filter, Runnable afterIteration) {
    Objects.requireNonNull(node, "node");
    if (!node.address().equals(address)) {
      throw new IllegalArgumentException(
          "node address " + node.address() + " is not the bound address " + address);
    }
    if (thread != null || stopRequested) {
      throw new IllegalStateException("the loop can be started once");
    }
    this.node = node;
    this.counters = node.counters();
    this.sender = new DatagramSender(channel, counters, address);
    this.receiver = new DatagramReceiver(channel, counters, address);
    this.filter = Objects.requireNonNull(filter, "filter");
    this.afterIteration = Objects.requireNonNull(afterIteration, "afterIteration");
    Thread t = new Thread(this::run, "kvnode-loop-" + address);
    // The owner (NodeMain or a test) decides how long the process lives, not this thread.
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Asks the loop to leave gracefully and waits up to {@code timeoutMillis} for it to end. Safe to
   * call from any thread except the loop's own, and more than once. Returns true if the loop has
   * ended (and the socket is closed).
   */
  public boolean stop(long timeoutMillis) {
    Thread t;
    synchronized (this) {
      stopRequested = true;
      t = thread;
    }
    if (t == null) {
      closeSocket();
      terminated.countDown();
      return true;
    }
    if (t == Thread.currentThread()) {
      throw new IllegalStateException("stop() must not be called from the loop thread");
    }
    selector.wakeup();
    return awaitTermination(timeoutMillis);
  }

  /** Waits up to {@code timeoutMillis} for the loop to end; true if it has. */
  public boolean awaitTermination(long timeoutMillis) {
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      if (!terminated.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
        return false;
      }
      // The latch opens in the thread's last finally block; wait for the thread itself to end so
      // that isRunning() is false once this returns.
      Thread t = thread;
      if (t != null && t != Thread.currentThread()) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return terminated.getCount() == 0;
    }
  }

  /** Waits until the loop ends, however long that is. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** True once the loop has ended because it broke (selector failure or an Error), not by stop. */
  public boolean failed() {
    return failed;
  }

  /** True while the loop thread runs. */
  public boolean isRunning() {
    Thread t = thread;
    return t != null && t.isAlive();
  }

  /** Stops gracefully, waiting up to one second. */
  @Override
  public void close() {
    stop(1000);
  }

  private void run() {
    try {
      guarded(() -> node.start(now()));
      commit();
      while (!stopRequested) {
        waitForWork();
        receiveBatch();
        tickIfDue();
        commit();
        guarded(afterIteration);
      }
      guarded(() -> node.leave(now()));
      commit();
      guarded(afterIteration);
    } catch (StorageFailure e) {
      failed = true;
      LOG.log(System.Logger.Level.ERROR, "node " + address + " stops: " + e.getMessage()
          + " (nothing it had not synced was acknowledged; the other replicas keep serving)");
    } catch (IOException | RuntimeException | Error e) {
      failed = true;
      LOG.log(System.Logger.Level.ERROR, "event loop of " + address + " failed", e);
    } finally {
      closeSocket();
      terminated.countDown();
    }
  }

  private void waitForWork() throws IOException {
    long wakeup = nextWakeup();
    long now = now();
    if (wakeup == Long.MAX_VALUE) {
      selector.select();
    } else if (wakeup <= now) {
      selector.selectNow();
    } else {
      selector.select(wakeup - now);
    }
    // One channel: the keys are not inspected, receiveBatch simply reads until the socket is empty.
    selector.selectedKeys().clear();
  }

  /**
   * Receives up to {@link #MAX_RECEIVES_PER_ITERATION} datagrams, then sends what they caused:
   * held until the batch ends (or {@link #SEND_EVERY_MESSAGES} are queued), so that the outbox
   * can bundle the messages for each peer ({@link Outbox#drainBundled}).
   */
  private void receiveBatch() {
    Outbox outbox = node.outbox();
    for (int i = 0; i < MAX_RECEIVES_PER_ITERATION && !stopRequested; i++) {
      if (!receiver.receive()) {
        break;
      }
      Address from = receiver.from();
      int length = receiver.length();
      if (from == null) {
        continue;
      }
      if (!admits(from, length)) {
        counters.increment("net.receive.dropped-by-fault");
        continue;
      }
      long now = now();
      call(() -> node.onDatagram(from, receiver.bytes(), 0, length, now));
      if (outbox.size() >= SEND_EVERY_MESSAGES) {
        drain();
      }
    }
    drain();
  }

  /** Asks the receive filter; a filter that throws is counted like the node and drops. */
  private boolean admits(Address from, int length) {
    try {
      return filter.admits(from, length);
    } catch (RuntimeException e) {
      onNodeError(e);
      return false;
    }
  }

  private void tickIfDue() {
    long now = now();
    if (nextWakeup() <= now) {
      guarded(() -> node.onTick(now));
    }
  }

  /** The node's wake-up time; if asking throws, the error is counted and asked again in 1 s. */
  private long nextWakeup() {
    try {
      return node.nextWakeup();
    } catch (RuntimeException e) {
      onNodeError(e);
      return now() + 1000;
    }
  }

  /**
   * Runs one call into the node (or a hook), survives its failure, then drains the outbox (see
   * {@link #drain}). A storage failure is not survived: it ends the loop with nothing sent.
   */
  private void guarded(Runnable action) {
    call(action);
    drain();
  }

  /** Runs one call into the node, surviving its failure but not a storage failure. */
  private void call(Runnable action) {
    try {
      action.run();
    } catch (StorageFailure e) {
      throw e;
    } catch (RuntimeException e) {
      onNodeError(e);
    }
  }

  /**
   * Sends what the node queued, unless its storage has writes not yet synced: then all but the
   * membership messages wait for {@link #commit} at the end of the iteration, or are synced and
   * sent now once the outbox is half full (so group commit never makes the outbox drop
   * datagrams). Membership messages acknowledge no write, so they leave at once: an ack held
   * behind the rest of a loaded iteration (up to {@link #MAX_RECEIVES_PER_ITERATION} requests)
   * and its sync can miss its prober's timeout (100 ms locally), and a live node looks dead.
   */
  private void drain() {
    Outbox outbox = node.outbox();
    if (node.hasUnsyncedWrites()) {
      if (outbox.size() < outbox.capacity() / 2) {
        sender.send(outbox.drainSyncFree());
        return;
      }
      syncStorage();
    }
    sender.drain(outbox);
  }

  /** Syncs the storage if it has unsynced writes, then sends everything held. */
  private void commit() {
    if (node.hasUnsyncedWrites()) {
      syncStorage();
    }
    sender.drain(node.outbox());
  }

  private void syncStorage() {
    try {
      node.syncStorage();
    } catch (StorageFailure e) {
      node.outbox().drain(); // answers for writes that may not be durable: never sent
      throw e;
    }
  }

  private void onNodeError(RuntimeException e) {
    counters.increment("loop.errors");
    nodeErrors++;
    long now = now();
    if (nodeErrors == 1) {
      LOG.log(System.Logger.Level.ERROR, "node " + address + " threw; the loop goes on"
          + " (later errors are counted in loop.errors and summarized)", e);
      lastErrorLogMillis = now;
    } else if (now - lastErrorLogMillis >= ERROR_LOG_PERIOD_MILLIS) {
      LOG.log(System.Logger.Level.WARNING,
          "node " + address + " has thrown " + nodeErrors + " times; latest: " + e);
      lastErrorLogMillis = now;
    }
  }

  private long now() {
    return originEpochMillis + (System.nanoTime() - originNanos) / 1_000_000;
  }

  private void closeSocket() {
    try {
      selector.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the selector failed: " + e);
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the socket failed: " + e);
    }
  }
}
