package io.quorumkv.node.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumkv.common.wire.Address;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.NodeEvent.MembershipChange;
import io.quorumkv.common.wire.KvOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesEventLogTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Address OBSERVER = Address.parse("127.0.0.1:7001");
  private static final Address SUBJECT = Address.parse("127.0.0.1:7003");

  @TempDir
  Path dir;

  @Test
  void writesOneWellFormedJsonObjectPerLineStampedByTheInjectedClock() throws IOException {
    Path file = dir.resolve("events.jsonl");
    AtomicLong clock = new AtomicLong(1_764_070_000_123L);
    try (JsonLinesEventLog log = new JsonLinesEventLog(file, clock::get)) {
      log.accept(membership(MembershipChange.JOINED, 1_764_069_999_000L, 0));
      clock.addAndGet(250);
      log.accept(membership(MembershipChange.REMOVED, 1_764_069_999_000L, 3));
      log.flush();

      List<String> lines = Files.readAllLines(file);
      assertEquals(2, lines.size(), "flushed lines are visible before close");
      assertEquals("{\"time\":1764070000123,\"observer\":\"127.0.0.1:7001\",\"event\":\"joined\","
          + "\"subject\":\"127.0.0.1:7003\",\"generation\":1764069999000,\"incarnation\":0}",
          lines.get(0));
      JsonNode removed = MAPPER.readTree(lines.get(1));
      assertEquals(1_764_070_000_373L, removed.get("time").longValue());
      assertEquals("removed", removed.get("event").textValue());
      assertEquals(3, removed.get("incarnation").longValue());
      assertEquals(0, log.errors());
    }
  }

  @Test
  void aSuspicionIsALineOfItsOwnKindWithTheMembershipFields() throws IOException {
    Path file = dir.resolve("events.jsonl");
    try (JsonLinesEventLog log = new JsonLinesEventLog(file, () -> 42L)) {
      log.accept(new NodeEvent.Suspected(OBSERVER, SUBJECT, 1_764_069_999_000L, 2));
    }
    assertEquals(List.of("{\"time\":42,\"observer\":\"127.0.0.1:7001\",\"event\":\"suspected\","
        + "\"subject\":\"127.0.0.1:7003\",\"generation\":1764069999000,\"incarnation\":2}"),
        Files.readAllLines(file));
  }

  @Test
  void keyValueOutcomesCarryRoleOperationOutcomeRequestKeyAndValue() throws IOException {
    Path file = dir.resolve("events.jsonl");
    try (JsonLinesEventLog log = new JsonLinesEventLog(file, () -> 42L)) {
      log.accept(new NodeEvent.KvOutcome(new Address("127.0.0.1", 7001),
          NodeEvent.Role.REPLICA, KvOp.READ, false, new Address("127.0.0.1", 9000), 17, "k", ""));
    }
    assertEquals(List.of("{\"time\":42,\"observer\":\"127.0.0.1:7001\",\"event\":\"kv\","
        + "\"role\":\"replica\",\"op\":\"read\",\"outcome\":\"fail\","
        + "\"client\":\"127.0.0.1:9000\",\"requestId\":17,\"key\":\"k\",\"value\":\"\"}"),
        Files.readAllLines(file));
  }

  @Test
  void appendsToAnExistingLogSoARestartedNodeContinuesIt() throws IOException {
    Path file = dir.resolve("events.jsonl");
    for (int life = 0; life < 2; life++) {
      try (JsonLinesEventLog log = new JsonLinesEventLog(file, () -> 5L)) {
        log.accept(membership(MembershipChange.JOINED, life, 0));
      }
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(2, lines.size());
    assertEquals(1, MAPPER.readTree(lines.get(1)).get("generation").longValue());
  }

  @Test
  void eventsAfterCloseAreCountedNotThrown() throws IOException {
    JsonLinesEventLog log = new JsonLinesEventLog(dir.resolve("events.jsonl"), () -> 1L);
    log.close();
    log.accept(membership(MembershipChange.JOINED, 1, 0));
    log.flush();
    assertEquals(1, log.errors());
  }

  @Test
  void aFileThatCannotBeOpenedFailsAtConstruction() {
    assertThrows(IOException.class, () -> new JsonLinesEventLog(dir, () -> 1L));
    assertTrue(Files.isDirectory(dir));
  }

  private static NodeEvent membership(MembershipChange change, long generation, long incarnation) {
    return new NodeEvent.Membership(OBSERVER, change, SUBJECT, generation, incarnation);
  }
}
