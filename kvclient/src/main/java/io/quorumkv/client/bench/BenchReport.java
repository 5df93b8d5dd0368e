package io.quorumkv.client.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/** The end-of-run report of {@code kvclient bench}, as text for people or JSON for scripts. */
public final class BenchReport {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private BenchReport() {
  }

  /** The run's settings in one line, as the report's first line. */
  public static String describe(BenchSpec s, String route, int members) {
    String bound = s.durationMillis() > 0 ? s.durationMillis() / 1000.0 + " s"
        : s.requests() + " requests";
    return String.format(Locale.ROOT, "bench: %s, %d keys of %d bytes (%s), %d-byte values, "
            + "%d in flight, %s, route %s over %d members, %s%s%s%s%s",
        s.mix(), s.keys().count(), s.keys().keyBytes(), s.keyChooser(), s.valueBytes(),
        s.inFlight(), s.consistency().wireName(), route, members, bound,
        s.ratePerSecond() > 0 ? ", at most " + s.ratePerSecond() + " ops/s" : "",
        s.preload() ? ", preloaded" : "",
        s.warmupMillis() > 0 ? ", after a " + s.warmupMillis() / 1000.0 + " s warm-up" : "",
        s.coalesce() ? "" : ", not coalesced");
  }

  /** One progress line: {@code run    3 s   31250 ops/s   p99 1.21 ms   errors 0}. */
  public static String progressLine(String phase, long second, long ops, double p99Micros,
      long errors) {
    return String.format(Locale.ROOT, "%-8s %4d s %9d ops/s   p99 %8.3f ms   errors %d", phase,
        second, ops, p99Micros / 1000, errors);
  }

  public static String text(BenchRun.Result result) {
    StringBuilder out = new StringBuilder();
    out.append(describe(result.spec(), result.route(), result.members())).append('\n');
    if (result.preload() != null) {
      phase(out, result.preload());
    }
    if (result.warmup() != null) {
      phase(out, result.warmup());
    }
    phase(out, result.run());
    return out.toString();
  }

  private static void phase(StringBuilder out, PhaseResult p) {
    out.append(String.format(Locale.ROOT, "%s: %d requests in %.2f s: %.0f ops/s; ok %d, "
            + "misses %d, retries %d, errors %d%s%n", p.name(), p.completed(), p.seconds(),
        p.opsPerSecond(), p.ok(), p.misses(), p.retries(), p.errorCount(), errorKinds(p)));
    out.append(String.format(Locale.ROOT, "  %-8s %10s %10s %10s %10s %10s %10s%n",
        "latency", "count", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us"));
    for (Map.Entry<String, PhaseResult.Percentiles> e : p.latency().entrySet()) {
      PhaseResult.Percentiles l = e.getValue();
      out.append(String.format(Locale.ROOT, "  %-8s %10d %10.1f %10.1f %10.1f %10.1f %10.1f%n",
          e.getKey(), l.count(), l.p50(), l.p90(), l.p99(), l.p999(), l.max()));
    }
  }

  private static String errorKinds(PhaseResult p) {
    if (p.errors().isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(" (");
    new java.util.TreeMap<>(p.errors()).forEach((kind, n) ->
        out.append(out.length() > 2 ? ", " : "").append(kind).append(' ').append(n));
    return out.append(')').toString();
  }

  public static ObjectNode json(BenchRun.Result result) {
    BenchSpec s = result.spec();
    ObjectNode root = NODES.objectNode();
    ObjectNode spec = root.putObject("spec");
    spec.put("mix", s.mix().toString());
    spec.put("keys", s.keys().count());
    spec.put("keyBytes", s.keys().keyBytes());
    spec.put("distribution", s.keyChooser().toString());
    spec.put("valueBytes", s.valueBytes());
    spec.put("inFlight", s.inFlight());
    spec.put("consistency", s.consistency().wireName());
    spec.put("route", result.route());
    spec.put("members", result.members());
    spec.put("durationMillis", s.durationMillis());
    spec.put("requests", s.requests());
    spec.put("ratePerSecond", s.ratePerSecond());
    spec.put("preload", s.preload());
    spec.put("warmupMillis", s.warmupMillis());
    spec.put("coalesce", s.coalesce());
    spec.put("seed", s.seed());
    if (result.preload() != null) {
      root.set("preload", phase(result.preload()));
    }
    if (result.warmup() != null) {
      root.set("warmup", phase(result.warmup()));
    }
    root.set("run", phase(result.run()));
    root.put("errors", result.errorCount());
    return root;
  }

  private static ObjectNode phase(PhaseResult p) {
    ObjectNode node = NODES.objectNode();
    node.put("requests", p.completed());
    node.put("seconds", Math.round(p.seconds() * 1000) / 1000.0);
    node.put("opsPerSecond", Math.round(p.opsPerSecond()));
    node.put("ok", p.ok());
    node.put("misses", p.misses());
    node.put("retries", p.retries());
    node.put("ignoredDatagrams", p.ignoredDatagrams());
    ObjectNode errors = node.putObject("errors");
    new java.util.TreeMap<>(p.errors()).forEach(errors::put);
    ObjectNode latency = node.putObject("latencyMicros");
    p.latency().forEach((name, l) -> {
      ObjectNode one = latency.putObject(name);
      one.put("count", l.count());
      one.put("p50", l.p50());
      one.put("p90", l.p90());
      one.put("p99", l.p99());
      one.put("p99.9", l.p999());
      one.put("max", l.max());
    });
    return node;
  }
}
