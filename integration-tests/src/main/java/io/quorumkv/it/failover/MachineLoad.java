package io.quorumkv.it.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine's 1-minute load average (Linux {@code /proc/loadavg}), sampled now and then during
 * the bench: on shared cores, detection times and false suspicions depend on it, so the summary
 * says how loaded the machine was.
 */
final class MachineLoad {

  private final Path source;
  private int samples;
  private double sum;
  private double max;

  MachineLoad(Path source) {
    this.source = source;
  }

  static MachineLoad linux() {
    return new MachineLoad(Path.of("/proc/loadavg"));
  }

  /** Reads the 1-minute load average once; a machine without the file is simply not sampled. */
  void sample() {
    double load;
    try {
      load = Double.parseDouble(Files.readString(source).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return;
    }
    samples++;
    sum += load;
    max = Math.max(max, load);
  }

  /** "mean 3.2, max 7.9 (41 samples)", or "not measured". */
  String summary() {
    if (samples == 0) {
      return "not measured";
    }
    return String.format(Locale.ROOT, "mean %.1f, max %.1f (%d samples)", sum / samples, max,
        samples);
  }
}
