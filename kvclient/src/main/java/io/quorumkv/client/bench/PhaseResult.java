package io.quorumkv.client.bench;

import io.quorumkv.common.wire.KvOp;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one phase (preload or run) measured, in the units reports use.
 *
 * @param name "preload" or "run"
 * @param completed requests that ended (answered, or out of attempts)
 * @param elapsedNanos first send to last answer
 * @param ok answers OK
 * @param misses reads of keys that do not exist
 * @param retries attempts resent after an attempt timeout
 * @param ignoredDatagrams datagrams that answered no outstanding request (late or malformed)
 * @param errors failed requests by kind (status name, or "timeout")
 * @param latency percentiles of all answered requests, then of each operation
 */
public record PhaseResult(String name, long completed, long elapsedNanos, long ok, long misses,
    long retries, long ignoredDatagrams, Map<String, Long> errors,
    Map<String, Percentiles> latency) {

  /** The percentiles every report shows, in this order. */
  static final List<Double> SHOWN = List.of(50.0, 90.0, 99.0, 99.9);

  public PhaseResult {
    errors = Map.copyOf(errors);
  }

  /** Latency percentiles in microseconds; {@code count} answers were measured. */
  public record Percentiles(long count, double p50, double p90, double p99, double p999,
      double max) {

    static Percentiles of(Histogram h) {
      return new Percentiles(h.getTotalCount(), micros(h.getValueAtPercentile(50)),
          micros(h.getValueAtPercentile(90)), micros(h.getValueAtPercentile(99)),
          micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()));
    }

    private static double micros(long nanos) {
      return Math.round(nanos / 100.0) / 10.0;
    }
  }

  static PhaseResult of(String name, BenchStats stats, long elapsedNanos, List<KvOp> ops) {
    Map<String, Percentiles> latency = new java.util.LinkedHashMap<>();
    latency.put("all", Percentiles.of(stats.all()));
    Map<KvOp, Percentiles> byOp = new EnumMap<>(KvOp.class);
    for (KvOp op : ops) {
      byOp.put(op, Percentiles.of(stats.of(op)));
    }
    if (byOp.size() > 1) {
      byOp.forEach((op, p) -> latency.put(op.wireName(), p));
    }
    return new PhaseResult(name, stats.completed(), elapsedNanos, stats.ok(), stats.misses(),
        stats.retries(), stats.ignoredDatagrams(), stats.errors(),
        java.util.Collections.unmodifiableMap(latency));
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  public double seconds() {
    return elapsedNanos / 1e9;
  }

  public double opsPerSecond() {
    return completed / seconds();
  }
}
