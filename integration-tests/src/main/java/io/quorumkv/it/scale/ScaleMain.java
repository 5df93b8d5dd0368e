package io.quorumkv.it.scale;

import io.quorumkv.common.wire.Consistency;
import io.quorumkv.it.ToolArgs;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code scripts/scale-bench.sh heap|rereplication [options]}: the README's scale figures,
 * measured on real kvnode processes ({@link HeapRun}, {@link RereplicationRun}). Exit code 0
 * when the measurement completed, 1 when it could not (the reason is printed), 2 for bad
 * arguments.
 */
public final class ScaleMain {

  static final String USAGE = """
      Usage: scale-bench.sh heap [--keys N] [--consistency L] [--preset NAME]
                                 [--node-heap SIZE] [--clients C] [--base-port P]
                                 [--kvnode-jar P] [--run-dir D]
             scale-bench.sh rereplication [--keys N[,N...]] [--repeats R] [--verify]
                                 [--consistency L] [--preset NAME] [--node-heap SIZE]
                                 [--clients C] [--base-port P] [--kvnode-jar P] [--run-dir D]

      Measures how QuorumKV scales, on real kvnode processes on loopback (local preset unless
      --preset says otherwise, records in memory). Keys are 16 bytes (key-000000000042),
      values 100 bytes of ASCII; they are written with put (at quorum by default) by C client
      threads (KvClient, one socket each), and every result is checked: a put that fails is
      retried up to 6 times, waiting 0.5 s, 1 s, 2 s ... between tries, then the run fails.

      heap           Heap bytes per stored key. Starts 3 nodes (replication 3: each holds
                     every key) and measures each node empty, with N/2 keys and with N keys,
                     every time once all 3 hold exactly that many (storage.keys): the live
                     bytes of jcmd's GC.class_histogram (which runs a full GC first) and the
                     heap used after GC.run (GC.heap_info). Prints per node the gross figure
                     (N keys - empty) / N, which includes the bounded memories of recent
                     requests, and the marginal one (N keys - N/2 keys) / (N/2), what one more
                     key costs; then the 10 largest classes and the 10 that grew most, per key.
                     Default 1000000 keys and --node-heap 2g: about 10 minutes on 2 cores.
      rereplication  Re-replication time after a node's death. For each N: starts 5 nodes,
                     loads N keys, waits until every node holds exactly the keys it owns;
                     then R runs, each killing one node (SIGKILL; run r kills node
                     1 + (r-1) mod 5) and polling the survivors' storage.keys every 10 ms
                     until each holds exactly the keys it owns on the ring without the dead
                     node: then every key is on 3 live replicas (exact: nothing is written
                     meanwhile, and a survivor never loses a key it held, so equal counts
                     mean the same keys). The killed node is then restarted empty, and the
                     next run waits until stabilization has refilled it. Prints each run
                     (when the survivors removed the dead node, from their event logs; when
                     the keys were back) and the median and range over the runs of
                     kill -> last removal, last removal -> done, kill -> done.
                     Default 10000,100000 keys, 5 runs each, --node-heap 256m (as
                     scripts/kvnode): about 10 minutes on 2 cores.

        --keys N         keys to load (heap: 2 to 10000000; rereplication: a comma-separated
                         list, each 1 to 10000000)
        --repeats R      rereplication: runs per key count (default 5, 1 to 20)
        --verify         rereplication: after each run, also read every key from each of its
                         3 new owners (a replica read of the owner's own copy) and check the
                         value; slow (3 reads a key), so off by default
        --consistency L  what each put of the load waits for: quorum (default) or all, which
                         leaves every key on all 3 replicas (under load a replica can miss
                         quorum writes that neither hints nor anti-entropy bring it soon; heap
                         then divides by the keys each node holds, rereplication waits)
        --preset NAME    the nodes' timing preset: local (default) or lan, whose slower failure
                         detection rides out the pauses of nodes holding many keys on a busy
                         machine (with local, 3 nodes of 500000 keys each on 2 loaded cores
                         suspect each other again and again)
        --node-heap SIZE each node's -Xmx, such as 256m or 2g (heap also sets -Xms)
        --clients C      loader threads, each with its own client (default 8, 1 to 64)
        --base-port P    nodes listen on UDP ports P, P+1, ... (default: free ports the
                         kernel picks); use it to keep to a range of ports shared with others
        --kvnode-jar P   the node's jar (default: the repository's kvnode/target/kvnode.jar)
        --run-dir D      where the node logs and event logs go (default: the repository's
                         run/scale); each cluster starts with fresh logs
        -h, --help       this text

      Every wait is bounded, and every node the run started is killed at the end, on failure
      and on Ctrl-C too. Absolute times depend on the machine and its load: compare medians.

      Exit status: 0 when the measurement completed, 1 when it could not (a put failed, the
      cluster did not form, the keys did not settle or re-replicate in time: the reason is
      printed), 2 for bad arguments.
      """;

  static final long MAX_KEYS = ScaleKeys.MAX_KEYS;
  static final int MAX_REPEATS = 20;
  static final int MAX_CLIENTS = 64;

  private ScaleMain() {
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String mode = args.length == 0 ? "" : args[0];
    boolean heap = mode.equals("heap");
    if (!heap && !mode.equals("rereplication")) {
      if (mode.equals("-h") || mode.equals("--help")) {
        out.print(USAGE);
        return 0;
      }
      err.println("scale-bench: name a measurement first: heap or rereplication (see --help)");
      return ToolArgs.USAGE_ERROR;
    }
    ToolArgs parsed = ToolArgs.parse("scale-bench", USAGE, options(heap),
        Arrays.copyOfRange(args, 1, args.length), out, err);
    if (!parsed.parsed()) {
      return parsed.exitStatus();
    }
    CommandLine line = parsed.line();
    Path jar = parsed.kvnodeJar();
    Path runDir = parsed.runDir("run/scale").toAbsolutePath();
    int nodes = heap ? HeapRun.NODES : RereplicationRun.NODES;
    List<Long> keys;
    int repeats;
    int clients;
    int basePort;
    try {
      keys = keyCounts(line.getOptionValue("keys", heap ? "1000000" : "10000,100000"),
          heap ? 2 : 1);
      if (heap && keys.size() != 1) {
        throw new IllegalArgumentException("heap takes one --keys count");
      }
      repeats = intIn(line, "repeats", 5, 1, MAX_REPEATS);
      clients = intIn(line, "clients", 8, 1, MAX_CLIENTS);
      basePort = intIn(line, "base-port", 0, 1024, 65_536 - nodes);
    } catch (IllegalArgumentException e) {
      err.println("scale-bench: " + e.getMessage() + " (see --help)");
      return ToolArgs.USAGE_ERROR;
    }
    Consistency consistency;
    try {
      consistency = Consistency.fromWire(line.getOptionValue("consistency", "quorum"));
    } catch (IllegalArgumentException e) {
      err.println("scale-bench: --consistency takes one, quorum or all (see --help)");
      return ToolArgs.USAGE_ERROR;
    }
    String preset = line.getOptionValue("preset", "local");
    if (!preset.equals("local") && !preset.equals("lan")) {
      err.println("scale-bench: --preset takes local or lan (see --help)");
      return ToolArgs.USAGE_ERROR;
    }
    String nodeHeap = line.getOptionValue("node-heap", heap ? "2g" : "256m");
    if (!nodeHeap.matches("[1-9][0-9]{0,5}[mMgG]")) {
      err.println("scale-bench: --node-heap takes a size such as 256m or 2g (see --help)");
      return ToolArgs.USAGE_ERROR;
    }
    if (!Files.isRegularFile(jar)) {
      err.println("scale-bench: kvnode jar not found at " + jar + " (build with mvn -B package)");
      return ToolArgs.USAGE_ERROR;
    }
    try {
      if (heap) {
        return HeapRun.run(new HeapRun.Options(keys.get(0), consistency, preset, nodeHeap, clients,
            basePort, jar, runDir), out);
      }
      return RereplicationRun.run(new RereplicationRun.Options(keys, repeats, consistency,
          preset, nodeHeap, clients, basePort, jar, runDir, line.hasOption("verify")), out);
    } catch (IllegalStateException e) {
      err.println("scale-bench: the run could not complete: " + e.getMessage());
      err.println("scale-bench: node logs in " + runDir);
      return 1;
    }
  }

  /** A comma-separated list of key counts, each from {@code min} to {@link #MAX_KEYS}. */
  static List<Long> keyCounts(String text, long min) {
    List<Long> counts = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      long n;
      try {
        n = Long.parseLong(part.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--keys takes key counts separated by commas, got '"
            + text + "'");
      }
      if (n < min || n > MAX_KEYS) {
        throw new IllegalArgumentException("--keys must be from " + min + " to " + MAX_KEYS
            + ", got " + n);
      }
      counts.add(n);
    }
    return counts;
  }

  /** Option {@code name} as an integer from {@code min} to {@code max}, else {@code fallback}. */
  private static int intIn(CommandLine line, String name, int fallback, int min, int max) {
    if (!line.hasOption(name)) {
      return fallback;
    }
    String text = line.getOptionValue(name);
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " takes an integer, got '" + text + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("--" + name + " must be from " + min + " to " + max
          + ", got " + n);
    }
    return n;
  }

  private static Options options(boolean heap) {
    Options o = new Options();
    for (String name : List.of("keys", "consistency", "preset", "node-heap", "clients",
        "base-port")) {
      o.addOption(Option.builder().longOpt(name).hasArg().build());
    }
    if (!heap) {
      o.addOption(Option.builder().longOpt("repeats").hasArg().build());
      o.addOption(Option.builder().longOpt("verify").build());
    }
    return ToolArgs.withPaths(o);
  }
}
