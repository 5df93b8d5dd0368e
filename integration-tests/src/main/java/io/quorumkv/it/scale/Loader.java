package io.quorumkv.it.scale;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.client.KvOptions;
import io.quorumkv.client.KvResult;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Writes keys {@code from} to {@code to - 1} ({@link ScaleKeys}) with {@code put} at a given
 * consistency (quorum, or all so that every replica surely holds every key), from several
 * client threads, each with its own {@link KvClient} (its own socket) over every node,
 * starting with a different one, so that the coordinators share the work. Every result is
 * checked: a put that is not OK (unavailable, overloaded, no node answered) is retried, up to
 * {@link #TRIES} times with a doubling wait between tries, and then fails the load; so does the
 * time bound.
 */
final class Loader {

  /** Puts of one key before the load fails: a put is idempotent, so retrying is safe. */
  static final int TRIES = 6;
  /** The wait before the second try, doubled before each next one: 15.5 s in all. */
  static final long BACKOFF_MILLIS = 500;
  static final long PROGRESS_EVERY_MILLIS = 10_000;

  /** How a load went: keys written, how long it took, and puts that needed more than one try. */
  record Result(long keys, long millis, long retries) {
    double perSecond() {
      return millis == 0 ? 0 : keys * 1000.0 / millis;
    }
  }

  private Loader() {
  }

  /**
   * Loads the keys, printing a progress line through {@code progress} every
   * {@link #PROGRESS_EVERY_MILLIS}; throws {@link IllegalStateException} when a key could not be
   * written or the load took longer than {@code boundMillis}.
   */
  static Result load(List<Address> nodes, long from, long to, Consistency consistency,
      int clients, long boundMillis, Consumer<String> progress) throws InterruptedException {
    KvOptions options = KvOptions.defaults().withConsistency(consistency);
    AtomicLong next = new AtomicLong(from);
    AtomicLong done = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> failure = new AtomicReference<>();
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      List<Address> order = new ArrayList<>(nodes);
      Collections.rotate(order, -t);
      Thread thread = new Thread(() -> {
        try (KvClient client = KvClient.open(order, ClientConfig.defaults())) {
          for (long i = next.getAndIncrement(); i < to && !stop.get();
              i = next.getAndIncrement()) {
            retries.addAndGet(put(client, i, options) - 1);
            done.incrementAndGet();
          }
        } catch (IOException | KvClientException | RuntimeException e) {
          failure.compareAndSet(null, e.getMessage());
          stop.set(true);
        }
      }, "scale-loader-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    long deadline = start + boundMillis * 1_000_000;
    long nextProgress = start + PROGRESS_EVERY_MILLIS * 1_000_000;
    try {
      for (Thread thread : threads) {
        while (thread.isAlive()) {
          thread.join(100);
          long now = System.nanoTime();
          if (now > deadline && !stop.get()) {
            failure.compareAndSet(null, "the load did not finish within " + boundMillis
                + " ms (" + done.get() + " of " + (to - from) + " keys written)");
            stop.set(true);
          }
          if (now >= nextProgress) {
            nextProgress += PROGRESS_EVERY_MILLIS * 1_000_000;
            progress.accept(String.format(Locale.ROOT, "loaded %d of %d keys (%.0f/s)",
                done.get(), to - from, done.get() * 1e9 / (now - start)));
          }
        }
      }
    } finally {
      stop.set(true);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("loading keys " + from + ".." + (to - 1) + " failed: "
          + failure.get());
    }
    return new Result(done.get(), (System.nanoTime() - start) / 1_000_000, retries.get());
  }

  private static void sleepQuietly(long millis) throws KvClientException {
    try {
      Thread.sleep(millis); // backing off before a retry, by design
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KvClientException("interrupted");
    }
  }

  /** Puts key {@code i} until a quorum acknowledges it; returns how many tries it took. */
  private static int put(KvClient client, long i, KvOptions options)
      throws KvClientException {
    String last = "";
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      try {
        KvResult r = client.put(ScaleKeys.key(i), ScaleKeys.value(i), options);
        if (r.isOk()) {
          return attempt;
        }
        last = r.status().wireName() + ": " + r.reason();
      } catch (KvClientException e) {
        last = e.getMessage();
      }
      if (attempt < TRIES) {
        sleepQuietly(BACKOFF_MILLIS << (attempt - 1)); // ride out a node suspected for a while
      }
    }
    throw new KvClientException("put of " + ScaleKeys.key(i) + " failed " + TRIES
        + " times, the last: " + last);
  }
}
