package io.quorumkv.client.cli;

import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.client.bench.BenchReport;
import io.quorumkv.client.bench.BenchRun;
import io.quorumkv.client.bench.BenchSpec;
import io.quorumkv.client.bench.KeyChooser;
import io.quorumkv.client.bench.KeySpace;
import io.quorumkv.client.bench.OpMix;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvLimits;
import io.quorumkv.common.wire.MemberStatus;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code bench}: a load generator in the manner of redis-benchmark and cassandra-stress. One
 * thread keeps up to --in-flight requests outstanding over one socket and measures each from send
 * (or, with --rate, from when it was due) to answer.
 */
final class BenchCommand implements Command {

  static final String DEFAULT_MIX = "put:50,read:50";
  static final long DEFAULT_KEYS = 100_000;
  /** redis-benchmark's and YCSB's usual key size. */
  static final int DEFAULT_KEY_BYTES = 16;
  /** The value size the issue's comparison with redis-benchmark uses (its own default is 3). */
  static final int DEFAULT_VALUE_BYTES = 100;
  static final int DEFAULT_IN_FLIGHT = 32;
  static final long DEFAULT_DURATION_SECONDS = 10;
  /** A bench is a bounded load; a day is far more than any comparison needs. */
  static final long MAX_DURATION_SECONDS = 86_400;
  /** YCSB's skew. */
  static final double DEFAULT_THETA = 0.99;

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public boolean sendsKvRequests() {
    return true;
  }

  /**
   * Short, so that it does not widen the command list in help to the length of bench's options:
   * those are in {@link #details()}, one a line.
   */
  @Override
  public String synopsis() {
    return "bench [OPTIONS]";
  }

  @Override
  public String summary() {
    return "measure throughput and latency (options below)";
  }

  @Override
  public List<String> details() {
    return List.of(
        "Sends requests from one thread and prints a line a second, then throughput, errors by",
        "kind and latency percentiles (HdrHistogram, microseconds). OPTIONS:",
        "  --mix put:W,read:W    operations and weights (default " + DEFAULT_MIX + ")",
        "  --keys N              key space (default " + DEFAULT_KEYS + ")",
        "  --key-size B          bytes per key (default " + DEFAULT_KEY_BYTES + ")",
        "  --value-size B        bytes per value (default " + DEFAULT_VALUE_BYTES + ")",
        "  --distribution D      uniform (default) or zipfian",
        "  --zipf-theta T        the zipfian skew (default " + DEFAULT_THETA + ")",
        "  --in-flight N         requests outstanding at once (default " + DEFAULT_IN_FLIGHT + ")",
        "  --duration S          seconds to run (default " + DEFAULT_DURATION_SECONDS + ")",
        "  --requests N          requests to send, instead of --duration",
        "  --preload             put every key once first (reported apart), so reads find them",
        "  --warmup S            run the mix S seconds first, reported apart (default 0): a",
        "                        fresh JVM compiles its hot code for tens of seconds",
        "  --rate OPS            start at most OPS requests a second; latency then counts "
            + "from when",
        "                        each was due, so a stall is not hidden (default: no limit)",
        "  --route R             key: a replica of the key (ring from --nodes' first node; "
            + "default),",
        "                        spread: any node of --nodes at random, first: the first one",
        "  --no-coalesce         send each request alone; by default the requests issued",
        "                        together leave as one datagram per node, answers likewise",
        "  --seed N              seed of the random choices (default: random, printed in --json)",
        "  --quiet               no progress lines",
        "--consistency and --timeout apply to every request; --attempts N sends each request at",
        "most N times (same id, next node) before it counts as a timeout. A read of a missing key",
        "is a miss, not an error. Exit 0 if no request failed, " + ExitCode.UNAVAILABLE
            + " otherwise. --json prints only the",
        "final report: {spec, preload, warmup, run: {requests, opsPerSecond, errors,",
        "latencyMicros}, errors}.");
  }

  @Override
  public Options options() {
    Options options = new Options();
    for (String[] o : new String[][] {
        {"mix", "OPS"}, {"keys", "N"}, {"key-size", "B"}, {"distribution", "D"},
        {"zipf-theta", "T"}, {"value-size", "B"}, {"in-flight", "N"}, {"duration", "S"},
        {"requests", "N"}, {"rate", "OPS"}, {"route", "R"}, {"seed", "N"}, {"warmup", "S"}}) {
      options.addOption(Option.builder().longOpt(o[0]).hasArg().argName(o[1]).build());
    }
    options.addOption(Option.builder().longOpt("preload").build());
    options.addOption(Option.builder().longOpt("quiet").build());
    options.addOption(Option.builder().longOpt("no-coalesce").build());
    return options;
  }

  @Override
  public int run(Invocation invocation)
      throws CommandException, KvClientException, IOException {
    invocation.expectArgs(0, synopsis());
    BenchSpec spec = spec(invocation);
    List<Address> members = spec.route().equals("key") ? members(invocation)
        : invocation.nodes();
    boolean quiet = invocation.json() || invocation.options().hasOption("quiet");
    if (!quiet) {
      invocation.out().println(BenchReport.describe(spec, spec.route(), members.size()));
      invocation.out().flush();
    }
    BenchRun.Result result = BenchRun.run(spec, invocation.nodes(), members,
        invocation.config().attemptTimeoutFor(invocation.config().kvOptions()),
        (phase, second, ops, p99, errors) -> {
          if (!quiet) {
            invocation.out().println(BenchReport.progressLine(phase, second, ops, p99, errors));
            invocation.out().flush();
          }
        });
    if (invocation.json()) {
      Json.print(invocation.out(), BenchReport.json(result));
    } else {
      String text = BenchReport.text(result);
      // The settings line was printed first already unless quiet.
      invocation.out().print(quiet ? text : text.substring(text.indexOf('\n') + 1));
    }
    return result.errorCount() == 0 ? ExitCode.OK : ExitCode.UNAVAILABLE;
  }

  static BenchSpec spec(Invocation in) throws CommandException {
    var o = in.options();
    long durationSeconds = in.longOption("duration", 0, 1, MAX_DURATION_SECONDS);
    long requests = in.longOption("requests", 0, 1, Long.MAX_VALUE / 2);
    if (durationSeconds > 0 && requests > 0) {
      throw CommandException.usage("give --duration or --requests, not both");
    }
    if (durationSeconds == 0 && requests == 0) {
      durationSeconds = DEFAULT_DURATION_SECONDS;
    }
    long seed = o.hasOption("seed") ? in.longOption("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE)
        : new SecureRandom().nextLong();
    try {
      KeySpace keys = new KeySpace(in.longOption("keys", DEFAULT_KEYS, 1, KeySpace.MAX_COUNT),
          (int) in.longOption("key-size", DEFAULT_KEY_BYTES, 1, KvLimits.MAX_KEY_BYTES));
      double theta = DEFAULT_THETA;
      if (o.hasOption("zipf-theta")) {
        try {
          theta = Double.parseDouble(o.getOptionValue("zipf-theta"));
        } catch (NumberFormatException e) {
          throw CommandException.usage("--zipf-theta must be a number, got '"
              + o.getOptionValue("zipf-theta") + "'");
        }
      }
      KeyChooser chooser = KeyChooser.of(o.getOptionValue("distribution", "uniform"),
          keys.count(), theta);
      String route = o.getOptionValue("route", "key").trim().toLowerCase(java.util.Locale.ROOT);
      return new BenchSpec(OpMix.parse(o.getOptionValue("mix", DEFAULT_MIX)), keys, chooser,
          (int) in.longOption("value-size", DEFAULT_VALUE_BYTES, 0, KvLimits.MAX_VALUE_BYTES),
          (int) in.longOption("in-flight", DEFAULT_IN_FLIGHT, 1, BenchSpec.MAX_IN_FLIGHT),
          in.config().kvOptions().consistency(), in.config().kvOptions().timeoutMillis(),
          in.config().attemptsPerNode(), durationSeconds * 1000, requests,
          in.longOption("rate", 0, 1, 10_000_000), route, o.hasOption("preload"),
          in.longOption("warmup", 0, 0, MAX_DURATION_SECONDS) * 1000,
          !o.hasOption("no-coalesce"), seed);
    } catch (IllegalArgumentException e) {
      throw CommandException.usage(e.getMessage());
    }
  }

  /** The members the nodes see in the cluster (alive or suspect), for the client's ring. */
  private static List<Address> members(Invocation invocation)
      throws KvClientException, IOException {
    try (KvClient client = invocation.openClient()) {
      return client.status().members().stream().filter(m -> m.state().isInCluster())
          .map(MemberStatus::address).toList();
    }
  }
}
