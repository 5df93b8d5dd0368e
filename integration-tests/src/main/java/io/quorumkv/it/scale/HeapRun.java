package io.quorumkv.it.scale;

import io.quorumkv.common.wire.Consistency;
import io.quorumkv.it.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Heap bytes per stored key of the in-memory store, measured on real kvnode processes: a 3-node
 * cluster (replication 3, so every node holds every key) is measured empty, with half the keys
 * and with all of them, each time after every node holds exactly that many keys, as the live
 * bytes of a class histogram (jcmd runs a full collection first) and the heap used right after
 * {@code GC.run}. Two figures per node:
 *
 * <ul>
 *   <li><b>gross</b>: (all keys - empty) / keys: everything loading the keys added, the bounded
 *       memories of recent requests (full long before the last key) included;
 *   <li><b>marginal</b>: (all keys - half the keys) / (the second half's keys): what one more key
 *       costs once those fixed costs are paid, the figure that scales.
 * </ul>
 *
 * And what dominates: the classes whose live bytes grew most, per key.
 */
final class HeapRun {

  static final int NODES = 3;
  static final int TOP = 10;
  /**
   * How long the nodes have to hold every key after a load: under load a replica can miss
   * writes beyond what hints keep, and anti-entropy repairs them in sessions of 10,000 keys.
   */
  static final long SETTLE_BOUND_MILLIS = 600_000;
  /** How long the counts must stand still before the measurement settles for what they are. */
  static final long STALL_MILLIS = 30_000;

  /** What to run: key count, node heap, loader threads, first port (0: free ones), paths. */
  record Options(long keys, Consistency consistency, String preset, String nodeHeap, int clients,
      int basePort, Path kvnodeJar, Path runDir) {
  }

  /**
   * One node's measurements, empty, half and fully loaded: the keys it held (storage.keys), the
   * live bytes and the used bytes after GC.
   */
  record Sample(long[] held, long[] live, long[] used) {
  }

  private HeapRun() {
  }

  /** The flags of scripts/kvnode (the daemon as an operator runs it), with this heap. */
  static List<String> jvmFlags(String heap) {
    return List.of("-Xmx" + heap, "-XX:+UseSerialGC");
  }

  /** Runs the measurement, printing as it goes; returns 0 (failures throw). */
  static int run(Options o, PrintStream out) throws IOException, InterruptedException {
    long half = o.keys() / 2;
    long[] points = {0, half, o.keys()};
    Map<Integer, Sample> samples = new TreeMap<>();
    for (int i = 1; i <= NODES; i++) {
      samples.put(i, new Sample(new long[3], new long[3], new long[3]));
    }
    Map<Integer, Histogram> empty = new TreeMap<>();
    Map<Integer, Histogram> full = new TreeMap<>();
    // The whole heap from the start: growing it takes full collections, whose pauses on a busy
    // machine get nodes suspected and removed, and the replica that misses writes meanwhile
    // waits for anti-entropy. The bytes measured are the same.
    List<String> flags = new ArrayList<>(jvmFlags(o.nodeHeap()));
    flags.add(0, "-Xms" + o.nodeHeap());
    try (ScaleCluster scale = ScaleCluster.start(o.kvnodeJar(), o.runDir(),
        NODES, o.basePort(), o.preset(), flags)) {
      LocalCluster cluster = scale.nodes();
      out.println("heap: cluster formed: " + scale.addresses() + ", node JVMs "
          + String.join(" ", flags));
      for (int p = 0; p < points.length; p++) {
        int pp = p;
        if (p > 0) {
          Loader.Result r = Loader.load(scale.addresses(), points[p - 1], points[p],
              o.consistency(), o.clients(),
              loadBoundMillis(points[p] - points[p - 1]), line -> out.println("heap: " + line));
          out.printf(Locale.ROOT, "heap: loaded keys %d..%d in %.1f s (%.0f puts/s, %d retried)%n",
              points[p - 1], points[p] - 1, r.millis() / 1000.0, r.perSecond(), r.retries());
          Map<Integer, Long> expected = new TreeMap<>();
          for (int i = 1; i <= NODES; i++) {
            expected.put(i, points[p]);
          }
          Map<Integer, Long> held = scale.awaitHolding(expected, SETTLE_BOUND_MILLIS,
              STALL_MILLIS, line -> out.println("heap: " + line));
          held.forEach((i, n) -> samples.get(i).held()[pp] = n);
          out.println("heap: the nodes hold " + held + " keys" + (held.equals(expected) ? ""
              : ", short of " + points[p] + " and still for " + STALL_MILLIS / 1000
              + " s (writes a replica missed that hints and anti-entropy did not bring):"
              + " each node's figures divide by the keys it holds") + "; " + scale.repairs());
        }
        for (int i = 1; i <= NODES; i++) {
          long pid = cluster.pid(i);
          Histogram h = Jcmd.histogram(pid);
          samples.get(i).live()[p] = h.bytes();
          samples.get(i).used()[p] = Jcmd.usedAfterGc(pid);
          if (p == 0) {
            empty.put(i, h);
          } else if (p == points.length - 1) {
            full.put(i, h);
          }
        }
        List<String> live = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
          live.add(String.format(Locale.ROOT, "node %d %.1f MB", i,
              samples.get(i).live()[p] / 1e6));
        }
        out.println("heap: " + points[p] + " keys per node: live " + String.join(", ", live)
            + "; " + ScaleCluster.machineLoad());
      }
    }
    report(o.keys(), samples, empty, full, out);
    return 0;
  }

  private static void report(long keys, Map<Integer, Sample> samples,
      Map<Integer, Histogram> empty, Map<Integer, Histogram> full, PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "Heap per key, up to %d keys of %d + %d bytes per node:%n", keys,
        ScaleKeys.KEY_BYTES, ScaleKeys.VALUE_BYTES);
    out.printf("%-6s %10s %10s %10s %10s %14s %14s %14s%n", "node", "keys", "empty MB",
        "half MB", "full MB", "gross B/key", "marginal B/key", "used-GC B/key");
    for (Map.Entry<Integer, Sample> e : samples.entrySet()) {
      long[] held = e.getValue().held();
      long[] live = e.getValue().live();
      long[] used = e.getValue().used();
      out.printf(Locale.ROOT, "%-6d %10d %10.1f %10.1f %10.1f %14.1f %14.1f %14.1f%n",
          e.getKey(), held[2], live[0] / 1e6, live[1] / 1e6, live[2] / 1e6,
          perKey(live[2] - live[0], held[2]), perKey(live[2] - live[1], held[2] - held[1]),
          perKey(used[2] - used[0], held[2]));
    }
    out.println("(live: the class histogram's total after its full GC; gross: full - empty;"
        + " marginal: full - half; used-GC: GC.heap_info's used after GC.run, full - empty;"
        + " each divided by the keys the node held)");
    long node1Keys = samples.get(1).held()[2];
    Histogram node1 = full.get(1);
    out.println();
    out.println("Largest classes, node 1 with " + node1Keys + " keys:");
    printRows(node1.top(TOP), node1Keys, out);
    out.println();
    out.println("What the keys added, node 1 (full - empty), per key:");
    printRows(node1.minus(empty.get(1)).top(TOP), node1Keys, out);
  }

  private static void printRows(List<Histogram.Row> rows, long keys, PrintStream out) {
    out.printf("%-55s %12s %14s %10s %10s%n", "class", "instances", "bytes", "per key",
        "B/key");
    for (Histogram.Row r : rows) {
      out.printf(Locale.ROOT, "%-55s %12d %14d %10.2f %10.1f%n", r.className(), r.instances(),
          r.bytes(), (double) r.instances() / keys, perKey(r.bytes(), keys));
    }
  }

  static double perKey(long bytes, long keys) {
    return keys == 0 ? 0 : (double) bytes / keys;
  }

  /** Generous: 200 puts a second, plus a minute for the start. */
  static long loadBoundMillis(long keys) {
    return 60_000 + keys * 5;
  }
}
