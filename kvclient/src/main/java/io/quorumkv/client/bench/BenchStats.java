package io.quorumkv.client.bench;

import io.quorumkv.common.wire.KvOp;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one phase of a benchmark measured: completed requests by outcome, errors by kind, and
 * latency histograms per operation. Owned by the benchmark's one thread.
 *
 * <p>Outcomes: {@code ok}; {@code miss} (a read of a key that does not exist, an answer and not
 * an error: expected when reads run without a preload); every other answer is an error named by
 * its status ({@code unavailable}, {@code overloaded}, ...), and a request that no attempt got an
 * answer for is the error {@code timeout}. Latency is recorded for every answer, ok or not.
 */
final class BenchStats {

  /** Latencies above an hour are clamped: nothing the loop waits for lasts that long. */
  private static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

  private final Map<KvOp, Histogram> latency = new EnumMap<>(KvOp.class);
  private final Histogram all = newHistogram();
  private final Map<String, Long> errors = new TreeMap<>();
  private long ok;
  private long misses;
  private long retries;
  private long ignored;

  private static Histogram newHistogram() {
    // 3 significant digits: 0.1% resolution, what redis-benchmark and cassandra-stress report.
    return new Histogram(1, HIGHEST_NANOS, 3);
  }

  void answered(KvOp op, long nanos, Outcome outcome, String errorKind) {
    long clamped = Math.max(1, Math.min(nanos, HIGHEST_NANOS));
    latency.computeIfAbsent(op, o -> newHistogram()).recordValue(clamped);
    all.recordValue(clamped);
    switch (outcome) {
      case OK -> ok++;
      case MISS -> misses++;
      case ERROR -> errors.merge(errorKind, 1L, Long::sum);
    }
  }

  void timedOut() {
    errors.merge("timeout", 1L, Long::sum);
  }

  void retried() {
    retries++;
  }

  void ignoredDatagram() {
    ignored++;
  }

  long completed() {
    return ok + misses + errorCount();
  }

  long ok() {
    return ok;
  }

  long misses() {
    return misses;
  }

  long retries() {
    return retries;
  }

  long ignoredDatagrams() {
    return ignored;
  }

  long errorCount() {
    long sum = 0;
    for (long n : errors.values()) {
      sum += n;
    }
    return sum;
  }

  Map<String, Long> errors() {
    return Map.copyOf(errors);
  }

  /** Latency of every answered request, all operations together. */
  Histogram all() {
    return all;
  }

  /** Latency of one operation's answered requests (empty if it had none). */
  Histogram of(KvOp op) {
    return latency.getOrDefault(op, newHistogram());
  }

  enum Outcome { OK, MISS, ERROR }
}
