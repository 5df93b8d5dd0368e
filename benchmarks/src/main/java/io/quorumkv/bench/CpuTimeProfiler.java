package io.quorumkv.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU nanoseconds per operation, next to JMH's wall-clock score: {@code cpu.worker.norm} is the
 * benchmark threads' own CPU time, {@code cpu.process.norm} the whole JVM's (garbage collection
 * and the JIT included). Use with {@code -prof io.quorumkv.bench.CpuTimeProfiler}.
 *
 * <p>Why: the two cores of this machine are shared with other builds and tests, often at a load
 * of 10 or more, and then a benchmark thread waits for a core most of the time. Wall-clock time
 * per operation swells with that wait and with the load's swings, by 10x and more; CPU time
 * counts only the time the thread ran, so ratios between two codecs measured this way stay
 * meaningful (contended caches still inflate them somewhat).
 */
public final class CpuTimeProfiler implements InternalProfiler {

  private static final String WORKER = "jmh-worker";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private Map<Long, Long> workersBefore = Map.of();
  private long processBefore;

  public CpuTimeProfiler() {
    if (!threads.isThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure thread CPU time");
    }
    threads.setThreadCpuTimeEnabled(true);
  }

  @Override
  public String getDescription() {
    return "CPU time per operation of the benchmark threads and of the whole JVM";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    workersBefore = workerCpuTimes();
    processBefore = os.getProcessCpuTime();
  }

  @Override
  public List<? extends Result> afterIteration(BenchmarkParams benchmark,
      IterationParams iteration, IterationResult result) {
    long process = os.getProcessCpuTime() - processBefore;
    long workers = 0;
    for (Map.Entry<Long, Long> entry : workerCpuTimes().entrySet()) {
      workers += entry.getValue() - workersBefore.getOrDefault(entry.getKey(), 0L);
    }
    // All operations, not only the measured ones: the CPU time covers the whole iteration.
    double ops = Math.max(1, result.getMetadata().getAllOps());
    return List.of(
        new ScalarResult("cpu.worker.norm", workers / ops, "ns/op", AggregationPolicy.AVG),
        new ScalarResult("cpu.process.norm", process / ops, "ns/op", AggregationPolicy.AVG));
  }

  /** CPU time so far of every live JMH worker thread, by thread id. */
  private Map<Long, Long> workerCpuTimes() {
    Map<Long, Long> times = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains(WORKER)) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          times.put(info.getThreadId(), cpu);
        }
      }
    }
    return times;
  }
}
