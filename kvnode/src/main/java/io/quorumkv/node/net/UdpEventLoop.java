package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.Counters;
import io.quorumkv.node.Node;
import io.quorumkv.node.storage.StorageFailure;
import java.io.IOException;
import java.nio.channels.Selector;
import java.util.Objects;

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
 *
 * <p>This class keeps the lifecycle and the order of an iteration, and the receive batch inline,
 * since it runs for every datagram. Its parts: {@link NodeSocket} (the socket),
 * {@link DatagramReceiver} and {@link DatagramSender}, {@link GroupCommit} (sends held for the
 * sync), {@link NodeTimer} (the wait for the node's wake-up time), {@link NodeErrors} (counting
 * and logging what the node throws), {@link LoopClock} (the time) and {@link LoopThread}.
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

  private static final System.Logger LOG = System.getLogger(UdpEventLoop.class.getName());

  private final NodeSocket socket;
  private final Address address;
  /** Made at bind time, which anchors the node's time to the epoch. */
  private final LoopClock clock = new LoopClock();
  private final LoopThread loopThread = new LoopThread();

  private volatile boolean stopRequested;
  private volatile boolean failed;

  // Owned by the loop thread once started.
  private Node node;
  private Counters counters;
  private DatagramReceiver receiver;
  private ReceiveFilter filter;
  private Runnable afterIteration;
  private GroupCommit groupCommit;
  private NodeTimer timer;
  private NodeErrors errors;

  private UdpEventLoop(NodeSocket socket) {
    this.socket = socket;
    this.address = socket.address();
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
    return new UdpEventLoop(NodeSocket.open(requested));
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
    if (loopThread.thread() != null || stopRequested) {
      throw new IllegalStateException("the loop can be started once");
    }
    this.node = node;
    this.counters = node.counters();
    DatagramSender sender = new DatagramSender(socket.channel(), counters, address);
    this.receiver = new DatagramReceiver(socket.channel(), counters, address);
    this.filter = Objects.requireNonNull(filter, "filter");
    this.afterIteration = Objects.requireNonNull(afterIteration, "afterIteration");
    this.groupCommit = new GroupCommit(node, sender);
    this.errors = new NodeErrors(counters, address, clock);
    this.timer = new NodeTimer(node, socket.selector(), errors, clock);
    loopThread.start(this::run, "kvnode-loop-" + address);
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
      t = loopThread.thread();
    }
    if (t == null) {
      socket.close();
      loopThread.ended();
      return true;
    }
    if (t == Thread.currentThread()) {
      throw new IllegalStateException("stop() must not be called from the loop thread");
    }
    socket.selector().wakeup();
    return awaitTermination(timeoutMillis);
  }

  /** Waits up to {@code timeoutMillis} for the loop to end; true if it has. */
  public boolean awaitTermination(long timeoutMillis) {
    return loopThread.awaitTermination(timeoutMillis);
  }

  /** Waits until the loop ends, however long that is. */
  public void awaitTermination() throws InterruptedException {
    loopThread.awaitTermination();
  }

  /** True once the loop has ended because it broke (selector failure or an Error), not by stop. */
  public boolean failed() {
    return failed;
  }

  /** True while the loop thread runs. */
  public boolean isRunning() {
    return loopThread.isRunning();
  }

  /** Stops gracefully, waiting up to one second. */
  @Override
  public void close() {
    stop(1000);
  }

  private void run() {
    try {
      guarded(() -> node.start(clock.now()));
      groupCommit.commit();
      while (!stopRequested) {
        timer.waitForWork();
        receiveBatch();
        tickIfDue();
        groupCommit.commit();
        guarded(afterIteration);
      }
      guarded(() -> node.leave(clock.now()));
      groupCommit.commit();
      guarded(afterIteration);
    } catch (StorageFailure e) {
      failed = true;
      LOG.log(System.Logger.Level.ERROR, "node " + address + " stops: " + e.getMessage()
          + " (nothing it had not synced was acknowledged; the other replicas keep serving)");
    } catch (IOException | RuntimeException | Error e) {
      failed = true;
      LOG.log(System.Logger.Level.ERROR, "event loop of " + address + " failed", e);
    } finally {
      socket.close();
      loopThread.ended();
    }
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
      long now = clock.now();
      call(() -> node.onDatagram(from, receiver.bytes(), 0, length, now));
      if (outbox.size() >= SEND_EVERY_MESSAGES) {
        groupCommit.drain();
      }
    }
    groupCommit.drain();
  }

  /** Asks the receive filter; a filter that throws is counted like the node and drops. */
  private boolean admits(Address from, int length) {
    try {
      return filter.admits(from, length);
    } catch (RuntimeException e) {
      errors.onNodeError(e);
      return false;
    }
  }

  private void tickIfDue() {
    long now = clock.now();
    if (timer.nextWakeup() <= now) {
      guarded(() -> node.onTick(now));
    }
  }

  /**
   * Runs one call into the node (or a hook), survives its failure, then drains the outbox (see
   * {@link GroupCommit#drain}). A storage failure is not survived: it ends the loop with nothing
   * sent.
   */
  private void guarded(Runnable action) {
    call(action);
    groupCommit.drain();
  }

  /** Runs one call into the node, surviving its failure but not a storage failure. */
  private void call(Runnable action) {
    try {
      action.run();
    } catch (StorageFailure e) {
      throw e;
    } catch (RuntimeException e) {
      errors.onNodeError(e);
    }
  }
}
