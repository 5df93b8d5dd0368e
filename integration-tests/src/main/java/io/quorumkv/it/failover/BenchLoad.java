package io.quorumkv.it.failover;

import io.quorumkv.common.wire.Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
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

  /** The last lines of its standard error, to explain a failure. */
  List<String> errorTail(int lines) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }
}
