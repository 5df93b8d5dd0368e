package io.quorumkv.it.failover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumkv.common.wire.Address;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The soak's load: one {@code kvclient bench} process against every node, half puts and half
 * reads on 10,000 keys of 100-byte values, 8 requests in flight, capped at a rate, for the soak's
 * duration. Its JSON summary goes to {@code bench.json} in the run directory, its standard error
 * to {@code bench.log}. Bounded: {@link #await} gives it its duration and a grace period, then
 * kills it.
 */
final class BenchLoad {

  /** How long after its duration the bench may take to finish and print its summary. */
  static final long GRACE_MILLIS = 60_000;
  /** Its exit status when it ran, but some requests failed (timeouts, unavailable). */
  static final int SOME_REQUESTS_FAILED = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path json;
  private final Path log;

  private BenchLoad(Process process, Path json, Path log) {
    this.process = process;
    this.json = json;
    this.log = log;
  }

  /** The command line: {@code kvclient -n NODES bench ...}. */
  static List<String> command(Path kvclient, List<Address> nodes, long seconds, int rate) {
    List<String> command = new ArrayList<>();
    command.add(kvclient.toString());
    command.add("-n");
    command.add(nodes.stream().map(Address::toString).collect(Collectors.joining(",")));
    command.addAll(List.of("bench", "--mix", "put:50,read:50", "--keys", "10000",
        "--value-size", "100", "--in-flight", "8", "--duration", Long.toString(seconds),
        "--rate", Integer.toString(rate), "--quiet", "--json"));
    return command;
  }

  /** Starts the bench now. */
  static BenchLoad start(List<String> command, Path runDir) throws IOException {
    Path json = runDir.resolve("bench.json");
    Path log = runDir.resolve("bench.log");
    Process p = new ProcessBuilder(command)
        .redirectOutput(json.toFile())
        .redirectError(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    return new BenchLoad(p, json, log);
  }

  long pid() {
    return process.pid();
  }

  boolean running() {
    return process.isAlive();
  }

  /**
   * Waits until the bench exits, at most until {@code deadlineNanos} (monotonic clock); kills it
   * past that. Returns its exit status, or -1 when it had to be killed.
   */
  int await(long deadlineNanos) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    if (left > 0 && process.waitFor(left, TimeUnit.NANOSECONDS)) {
      return process.exitValue();
    }
    kill();
    return -1;
  }

  /** Kills the bench (and anything it started) without waiting. */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** What it printed on standard output: its JSON summary (empty if none). */
  String summary() throws IOException {
    return Files.exists(json) ? Files.readString(json, StandardCharsets.UTF_8).strip() : "";
  }

  /**
   * One line from the bench's JSON summary: "120000 requests in 60.0 s, 2000 ops/s, 60000 ok,
   * 0 misses, 0 errors; p99 ms: put 1.2, read 0.9"; the text itself when it is not such JSON.
   */
  static String describe(String summary) {
    JsonNode run;
    try {
      run = JSON.readTree(summary).path("run");
    } catch (IOException e) {
      return summary;
    }
    if (!run.isObject()) {
      return summary;
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%d requests in %.1f s, %d ops/s, %d ok, %d misses, %d retries, %d errors",
        run.path("requests").asLong(), run.path("seconds").asDouble(),
        run.path("opsPerSecond").asLong(), run.path("ok").asLong(), run.path("misses").asLong(),
        run.path("retries").asLong(), errors(run.path("errors"))));
    if (errors(run.path("errors")) > 0) {
      out.append(" ").append(run.path("errors"));
    }
    String sep = "; p99 ms: ";
    for (Iterator<Map.Entry<String, JsonNode>> it = run.path("latencyMicros").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> op = it.next();
      out.append(sep).append(op.getKey()).append(' ').append(String.format(Locale.ROOT, "%.1f",
          op.getValue().path("p99").asDouble() / 1000));
      sep = ", ";
    }
    return out.toString();
  }

  private static long errors(JsonNode byKind) {
    long sum = 0;
    for (JsonNode n : byKind) {
      sum += n.asLong();
    }
    return sum;
  }

  /** The last lines of its standard error, to explain a failure. */
  List<String> errorTail(int lines) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }
}
