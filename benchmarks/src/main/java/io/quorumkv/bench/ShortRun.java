package io.quorumkv.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The defaults every benchmark here inherits (JMH reads these annotations from superclasses):
 * nanoseconds per operation, one fork, 5 warm-up and 5 measured iterations of 1 s. Short because
 * the machine has two cores shared with builds and tests; JMH's -f, -wi, -i, -w and -r override
 * them. Five warm-up seconds, not fewer: under load the JIT's own threads wait for a core too,
 * and after 2 s the codec still ran several times slower than compiled.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// A small heap, as for the tests: many JVMs share this machine.
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class ShortRun {
}
