package io.quorumkv.client.bench;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * One benchmark: an optional preload phase that puts every key once, an optional warm-up that runs
 * the measured phase's mix for a while unmeasured, then the measured phase. Progress goes to a
 * {@link Progress} about once a second.
 */
public final class BenchRun {

  /**
   * Requests in flight while preloading, at least: enough to keep three nodes busy, so a read
   * test at 1 in flight does not spend minutes writing its keys one at a time.
   */
  static final int PRELOAD_MIN_IN_FLIGHT = 32;

  /** Receives one line of progress a second. */
  public interface Progress {
    void second(String phase, long second, long opsThisSecond, double p99MicrosSoFar,
        long errorsSoFar);
  }

  /**
   * Every phase's results ({@code preload} and {@code warmup} null when there was none). Errors
   * of all phases count: a warm-up that failed means the measured phase ran on a sick cluster.
   */
  public record Result(BenchSpec spec, String route, int members, PhaseResult preload,
      PhaseResult warmup, PhaseResult run) {

    public long errorCount() {
      return run.errorCount() + (preload == null ? 0 : preload.errorCount())
          + (warmup == null ? 0 : warmup.errorCount());
    }
  }

  private BenchRun() {
  }

  /**
   * Runs {@code spec}; {@code members} are the cluster's members (the ring of route "key"),
   * {@code nodes} those given on the command line, {@code attemptMillis} how long one attempt
   * waits.
   */
  public static Result run(BenchSpec spec, List<Address> nodes, List<Address> members,
      long attemptMillis, Progress progress) throws IOException {
    RandomGenerator random = new SplittableRandom(spec.seed());
    Router router = Router.of(spec.route(), nodes, members);
    String value = value(spec.valueBytes(), random);
    try (BenchLoop loop = new BenchLoop(router, spec.keys(), value, spec.consistency(),
        spec.timeoutMillis(), attemptMillis, spec.attempts(), random, spec.coalesce())) {
      PhaseResult preload = null;
      if (spec.preload()) {
        long count = spec.keys().count();
        preload = phase(loop, "preload", (seq, next) -> {
          next.op = KvOp.PUT;
          next.keyIndex = seq;
          return seq < count;
        }, Math.max(PRELOAD_MIN_IN_FLIGHT, spec.inFlight()), Long.MAX_VALUE, 0,
            List.of(KvOp.PUT), progress);
      }
      PhaseResult warmup = null;
      if (spec.warmupMillis() > 0) {
        warmup = phase(loop, "warmup", mixOf(spec, random, 0), spec.inFlight(),
            endAfter(spec.warmupMillis()), spec.ratePerSecond(), spec.mix().ops(), progress);
      }
      long end = spec.durationMillis() == 0 ? Long.MAX_VALUE : endAfter(spec.durationMillis());
      PhaseResult run = phase(loop, "run", mixOf(spec, random, spec.requests()), spec.inFlight(),
          end, spec.ratePerSecond(), spec.mix().ops(), progress);
      return new Result(spec, router.name(), members.size(), preload, warmup, run);
    }
  }

  /** The spec's mix and key choice, for {@code requests} requests (0: until the phase ends). */
  private static BenchLoop.Source mixOf(BenchSpec spec, RandomGenerator random, long requests) {
    return (seq, next) -> {
      next.op = spec.mix().next(random);
      next.keyIndex = spec.keyChooser().next(random);
      return requests == 0 || seq < requests;
    };
  }

  private static long endAfter(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private static PhaseResult phase(BenchLoop loop, String name, BenchLoop.Source source,
      int inFlight, long endNanos, long rate, List<KvOp> ops, Progress progress)
      throws IOException {
    BenchStats stats = new BenchStats();
    long[] previous = {0, 0};
    long elapsed = loop.run(source, inFlight, endNanos, rate, stats, now -> {
      long completed = stats.completed();
      previous[1]++;
      progress.second(name, previous[1], completed - previous[0],
          stats.all().getValueAtPercentile(99) / 1000.0, stats.errorCount());
      previous[0] = completed;
    });
    return PhaseResult.of(name, stats, elapsed, ops);
  }

  /** A value of {@code bytes} random letters and digits (ASCII: one byte each on the wire). */
  static String value(int bytes, RandomGenerator random) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder out = new StringBuilder(bytes);
    for (int i = 0; i < bytes; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
