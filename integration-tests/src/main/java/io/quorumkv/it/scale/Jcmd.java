package io.quorumkv.it.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK's {@code jcmd}, run against a node process this tool started (by its PID), for what
 * the heap holds: {@code GC.class_histogram} (a full collection, then the live objects by class)
 * and {@code GC.run} followed by {@code GC.heap_info} (the heap's used bytes after a full
 * collection). Each call is bounded in time.
 */
final class Jcmd {

  static final long TIMEOUT_SECONDS = 120;

  /** A generation's (or a whole heap's) line: "def new generation   total 29504K, used 5203K". */
  private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private Jcmd() {
  }

  /** The live objects of process {@code pid}, after the full collection the command runs. */
  static Histogram histogram(long pid) throws IOException, InterruptedException {
    return Histogram.parse(run(pid, "GC.class_histogram"));
  }

  /** Heap bytes used by process {@code pid} right after a full collection (GC.run). */
  static long usedAfterGc(long pid) throws IOException, InterruptedException {
    run(pid, "GC.run");
    return usedBytes(run(pid, "GC.heap_info"));
  }

  /**
   * The used bytes of {@code GC.heap_info}'s output: the sum of its generations' (or its one
   * heap's) "used" figures; the spaces inside them and Metaspace (not heap) are not counted.
   */
  static long usedBytes(String heapInfo) {
    Matcher m = USED.matcher(heapInfo);
    long kib = 0;
    boolean found = false;
    while (m.find()) {
      kib += Long.parseLong(m.group(1));
      found = true;
    }
    if (!found) {
      throw new IllegalArgumentException("GC.heap_info printed no 'total ..K, used ..K' line: "
          + heapInfo.strip());
    }
    return kib * 1024;
  }

  private static String run(long pid, String command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), command));
    Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
    // Read before waiting: a histogram is larger than a pipe's buffer.
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("jcmd " + pid + " " + command + " did not finish within "
          + TIMEOUT_SECONDS + " s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + text.strip());
    }
    return text;
  }
}
