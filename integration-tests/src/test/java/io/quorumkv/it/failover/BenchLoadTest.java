package io.quorumkv.it.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorumkv.common.wire.Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's load command line and how its JSON report is summed up; the machine's load. */
class BenchLoadTest {

  @TempDir
  Path dir;

  @Test
  void theBenchRunsAgainstEveryNodeForTheSoakAtTheRate() {
    List<String> command = BenchLoad.command(Path.of("/repo/scripts/kvclient"),
        List.of(new Address("127.0.0.1", 7101), new Address("127.0.0.1", 7102)), 600, 2000);
    assertEquals("/repo/scripts/kvclient -n 127.0.0.1:7101,127.0.0.1:7102 bench --mix"
        + " put:50,read:50 --keys 10000 --value-size 100 --in-flight 8 --duration 600 --rate 2000"
        + " --quiet --json", String.join(" ", command));
  }

  @Test
  void theReportBecomesOneLine() {
    String json = "{\"spec\":{\"mix\":\"put:50,read:50\"},\"run\":{\"requests\":120000,"
        + "\"seconds\":60.012,\"opsPerSecond\":2000,\"ok\":110000,\"misses\":9990,\"retries\":4,"
        + "\"ignoredDatagrams\":0,\"errors\":{\"timeout\":7,\"unavailable\":3},"
        + "\"latencyMicros\":{\"put\":{\"count\":60000,\"p50\":500.0,\"p99\":1234.5},"
        + "\"read\":{\"count\":60000,\"p99\":987.0}}},\"errors\":10}";
    assertEquals("120000 requests in 60.0 s, 2000 ops/s, 110000 ok, 9990 misses, 4 retries,"
        + " 10 errors {\"timeout\":7,\"unavailable\":3}; p99 ms: put 1.2, read 1.0",
        BenchLoad.describe(json));
    assertEquals("not json", BenchLoad.describe("not json"));
  }

  @Test
  void theMachineLoadIsTheOneMinuteAverageSampledNowAndThen() throws Exception {
    Path loadavg = dir.resolve("loadavg");
    MachineLoad load = new MachineLoad(loadavg);
    load.sample(); // no file yet: not sampled
    assertEquals("not measured", load.summary());
    Files.writeString(loadavg, "2.50 1.00 0.50 3/300 12345\n");
    load.sample();
    Files.writeString(loadavg, "4.50 1.00 0.50 3/300 12345\n");
    load.sample();
    assertEquals("mean 3.5, max 4.5 (2 samples)", load.summary());
  }
}
