package io.quorumkv.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new cluster in a used run directory starts without the earlier run's logs. */
class LocalClusterRunDirectoryTest {

  @TempDir
  Path runDir;

  @Test
  void anEarlierRunsLogsAreGoneAndItsOtherFilesStay() throws Exception {
    Path node1 = Files.createDirectories(runDir.resolve("node1"));
    Files.writeString(node1.resolve("node.log"), "listening on udp 127.0.0.1:7001\n");
    Files.writeString(node1.resolve("events.jsonl"), "{\"event\":\"joined\"}\n");
    Files.writeString(runDir.resolve("dbg.log"), "a grader's log\n");
    try (LocalCluster cluster = new LocalCluster(
        Path.of(System.getProperty("kvnode.jar", "../kvnode/target/kvnode.jar")), runDir, 3)) {
      assertFalse(Files.exists(node1.resolve("node.log")), "the old start line would be found");
      assertFalse(Files.exists(cluster.eventLog(1)), "the old events would be read");
      assertTrue(Files.exists(runDir.resolve("dbg.log")), "only the nodes' logs go");
    }
  }
}
