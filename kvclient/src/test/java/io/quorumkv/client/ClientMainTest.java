package io.quorumkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumkv.client.cli.Commands;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.StatusReply;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.Option;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientMainTest {

  private static final List<MemberStatus> THREE_MEMBERS = List.of(
      new MemberStatus(new Address("127.0.0.1", 7001), MemberState.ALIVE, 1700000000001L, 0, -1),
      new MemberStatus(new Address("127.0.0.1", 7002), MemberState.ALIVE, 1700000000002L, 3, 200),
      new MemberStatus(new Address("127.0.0.1", 7003), MemberState.SUSPECT, 17L, 12, 1550));

  private static final Map<String, Long> COUNTERS =
      Map.of("wire.received", 42L, "outbox.sent", 40L, "wire.rejected.malformed", 1L);

  @Test
  void statusPrintsTheMemberTable() throws Exception {
    try (FakeNode node = FakeNode.answering(THREE_MEMBERS, COUNTERS)) {
      CliRun run = CliRun.of("-n", node.address().toString(), "status");

      assertEquals(0, run.exitCode(), run::toString);
      assertEquals(""
          + "ADDRESS         STATE    INCARNATION  GENERATION     LAST HEARD\n"
          + "127.0.0.1:7001  alive    0            1700000000001  -\n"
          + "127.0.0.1:7002  alive    3            1700000000002  0.2 s ago\n"
          + "127.0.0.1:7003  suspect  12           17             1.6 s ago\n"
          + "3 members as seen by " + node.address() + ": 2 alive, 1 suspect\n", run.out());
      assertEquals("", run.err());
    }
  }

  @Test
  void statusJsonIsAnArrayOfMembers() throws Exception {
    try (FakeNode node = FakeNode.answering(THREE_MEMBERS, COUNTERS)) {
      CliRun run = CliRun.of("status", "--json", "--nodes", node.address().toString());

      assertEquals(0, run.exitCode(), run::toString);
      JsonNode array = new ObjectMapper().readTree(run.out());
      assertTrue(array.isArray());
      assertEquals(3, array.size());
      JsonNode self = array.get(0);
      assertEquals("127.0.0.1:7001", self.get("address").asText());
      assertEquals("alive", self.get("state").asText());
      assertEquals(0, self.get("incarnation").asLong());
      assertEquals(1700000000001L, self.get("generation").asLong());
      assertTrue(self.get("lastHeardMillisAgo").isNull());
      JsonNode suspect = array.get(2);
      assertEquals("suspect", suspect.get("state").asText());
      assertEquals(12, suspect.get("incarnation").asLong());
      assertEquals(1550, suspect.get("lastHeardMillisAgo").asLong());
    }
  }

  @Test
  void statsPrintsCountersByName() throws Exception {
    try (FakeNode node = FakeNode.answering(THREE_MEMBERS, COUNTERS)) {
      CliRun run = CliRun.of("-n", node.address().toString(), "stats");

      assertEquals(0, run.exitCode(), run::toString);
      assertEquals(""
          + "outbox.sent              40\n"
          + "wire.received            42\n"
          + "wire.rejected.malformed  1\n", run.out());
    }
  }

  @Test
  void statsJsonIsAnObject() throws Exception {
    try (FakeNode node = FakeNode.answering(THREE_MEMBERS, COUNTERS)) {
      CliRun run = CliRun.of("--json", "-n", node.address().toString(), "stats");

      assertEquals(0, run.exitCode(), run::toString);
      JsonNode object = new ObjectMapper().readTree(run.out());
      assertEquals(3, object.size());
      assertEquals(42, object.get("wire.received").asLong());
      assertEquals(1, object.get("wire.rejected.malformed").asLong());
    }
  }

  @Test
  void failsOverToTheNextNodeWhenTheFirstNeverAnswers() throws Exception {
    try (SilentNode silent = new SilentNode();
        FakeNode node = FakeNode.answering(THREE_MEMBERS, COUNTERS)) {
      CliRun run = CliRun.of("-n", silent.address() + "," + node.address(),
          "--timeout", "500", "--attempts", "1", "status");

      assertEquals(0, run.exitCode(), run::toString);
      assertTrue(run.out().contains("as seen by " + node.address()), run::toString);
      assertEquals(1, silent.drainCount());
    }
  }

  @Test
  void noNodeAnsweringExitsThreeWithOneLine() throws Exception {
    try (SilentNode silent = new SilentNode()) {
      CliRun run = CliRun.of("-n", silent.address().toString(),
          "--timeout", "100", "--attempts", "2", "status");

      assertEquals(3, run.exitCode(), run::toString);
      assertEquals("kvclient: no node answered: " + silent.address()
          + " (2 attempts of 100 ms each)\n", run.err());
      assertEquals("", run.out());
    }
  }

  @Test
  void aReplyWithAWrongRequestIdIsIgnored() throws Exception {
    try (FakeNode node = FakeNode.responding((self, request) -> List.of(
        FakeNode.encode(self, request.requestId() + 7,
            new StatusReply(self, FakeNode.members(5, 0), false, Map.of())),
        FakeNode.encode(self, request.requestId(),
            new StatusReply(self, THREE_MEMBERS, false, Map.of()))))) {
      CliRun run = CliRun.of("-n", node.address().toString(), "--json", "status");

      assertEquals(0, run.exitCode(), run::toString);
      assertEquals(3, new ObjectMapper().readTree(run.out()).size(),
          "the members of the reply with the right id");
    }
  }

  @Test
  void helpListsCommandsOptionsAndExitCodes() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"},
        new String[] {"help"}, new String[] {"status", "--help"})) {
      CliRun run = CliRun.of(args);

      assertEquals(0, run.exitCode(), run::toString);
      assertEquals("", run.err());
      for (String expected : List.of("Usage: kvclient", "status", "stats",
          "wait-members N [--within MS]", "--nodes", "default 127.0.0.1:7001", "--timeout",
          "--json", "Exit codes:", "unavailable", "Examples:", "create KEY VALUE",
          "read|get KEY", "update KEY VALUE", "delete KEY", "put KEY VALUE", "locate KEY",
          "shell", "--consistency LEVEL", "--attempt-timeout MS", "not found",
          "precondition failed", "usage error", "quorum not reached", "no node answered",
          "reads the value from stdin", "exactly one trailing")) {
        assertTrue(run.out().contains(expected), "help mentions " + expected);
      }
    }
  }

  /**
   * The help reads in a 100-column terminal: bench's long option list once set the width of the
   * whole command list (lines of about 150 characters), so it lives in bench's own section now,
   * which must still name every option bench accepts.
   */
  @Test
  void helpFitsIn100ColumnsAndNamesEveryBenchOption() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"bench", "--help"})) {
      CliRun run = CliRun.of(args);

      assertEquals(0, run.exitCode(), run::toString);
      for (String line : run.out().split("\n")) {
        assertTrue(line.length() <= 100, () -> line.length() + " columns: " + line);
      }
      assertTrue(run.out().contains("  bench [OPTIONS]  "), "the command list's bench line");
      for (Option option : Commands.find("bench").orElseThrow().options().getOptions()) {
        assertTrue(run.out().contains("  --" + option.getLongOpt() + " "),
            () -> "help explains --" + option.getLongOpt());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "frobnicate",
      "--frob status",
      "status --frob",
      "status extra",
      "-n nothost status",
      "-n 127.0.0.1:99999 status",
      "-n 127.0.0.1:7001,,127.0.0.1:7002 status",
      "--timeout abc status",
      "--timeout 0 status",
      "--attempts 1000 status",
      "--nodes",
      "wait-members",
      "wait-members three",
      "wait-members 0",
      "wait-members 3 4",
      "wait-members 3 --within",
      "wait-members 3 --within -5",
      "stats --within 100",
      "read",
      "read k v",
      "get",
      "create k",
      "put k v extra",
      "delete",
      "locate",
      "locate a b",
      "--consistency most read k",
      "read k --consistency",
      "--timeout -1 read k",
      "--timeout 60001 read k",
      "--attempt-timeout 0 read k",
      "put k -5",
  })
  void usageErrorsExitTwoWithOneLine(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    CliRun run = CliRun.of(args);

    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("kvclient: "), run::toString);
    assertTrue(run.err().endsWith("(see kvclient --help)\n"), run::toString);
    assertEquals(1, run.err().lines().count(), run::toString);
    assertFalse(run.err().contains("Exception"), run::toString);
    assertEquals("", run.out());
  }
}
