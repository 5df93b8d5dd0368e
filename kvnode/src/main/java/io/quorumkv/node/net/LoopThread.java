package io.quorumkv.node.net;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The thread of a {@link UdpEventLoop} and the latch that says its loop has ended: started at
 * most once, ended once (by the loop's last finally block, or by a stop before any start), and
 * awaited from any thread. The loop keeps its stop request itself, next to the receive batch
 * that reads it for every datagram.
 */
final class LoopThread {

  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile Thread thread;

  /** Starts {@code body} on a new daemon thread named {@code name}. */
  void start(Runnable body, String name) {
    Thread t = new Thread(body, name);
    // The owner (NodeMain or a test) decides how long the process lives, not this thread.
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** The thread once started, else null. */
  Thread thread() {
    return thread;
  }

  /** Says that the loop has ended: its socket is closed and it runs no more. */
  void ended() {
    terminated.countDown();
  }

  /** Waits up to {@code timeoutMillis} for the loop to end; true if it has. */
  boolean awaitTermination(long timeoutMillis) {
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
  void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** True while the thread runs. */
  boolean isRunning() {
    Thread t = thread;
    return t != null && t.isAlive();
  }
}
