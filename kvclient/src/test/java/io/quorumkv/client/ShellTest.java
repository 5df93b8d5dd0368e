package io.quorumkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kvclient shell: commands in on stdin, one result line out per command. */
class ShellTest {

  private static final List<Address> REPLICAS = List.of(new Address("127.0.0.1", 7002),
      new Address("127.0.0.1", 7001));

  @Test
  void oneLineOutPerCommandThroughOneSocket() throws Exception {
    FakeStore store = new FakeStore(REPLICAS);
    try (FakeNode node = FakeNode.storing(store)) {
      CliRun run = CliRun.withStdin(""
          + "create greeting \"hello, world\"\n"
          + "read greeting\n"
          + "create greeting again\n"
          + "\n"
          + "# a comment prints nothing\n"
          + "update missing x\n"
          + "put greeting \"say \\\"hi\\\"\\n\"\n"
          + "get greeting\n"
          + "locate greeting\n"
          + "delete greeting\n"
          + "read greeting\n",
          "-n", node.address().toString(), "shell");

      assertEquals(0, run.exitCode(), run::toString);
      assertEquals(""
          + "OK\n"
          + "hello, world\n"
          + "ERROR: key 'greeting' already exists\n"
          + "(not found)\n"
          + "OK\n"
          + "\"say \\\"hi\\\"\\n\"\n"
          + "127.0.0.1:7002 127.0.0.1:7001\n"
          + "OK\n"
          + "(not found)\n", run.out());
      assertEquals("", run.err());
      List<Address> senders = node.received().stream().map(e -> e.sender()).distinct().toList();
      assertEquals(1, senders.size(), "one client, one socket for the whole session");
    }
  }

  @Test
  void noCommandRunsTheShell() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS))) {
      CliRun run = CliRun.withStdin("put k v\nread k\n", "-n", node.address().toString());

      assertEquals(0, run.exitCode(), run::toString);
      assertEquals("OK\nv\n", run.out());
    }
  }

  @Test
  void badLinesPrintAnErrorAndTheShellGoesOn() throws Exception {
    FakeStore store = new FakeStore(REPLICAS);
    try (FakeNode node = FakeNode.storing(store)) {
      CliRun run = CliRun.withStdin(""
          + "frobnicate k\n"
          + "read\n"
          + "put k \"unterminated\n"
          + "put k \"bad \\q escape\"\n"
          + "read k --consistency most\n"
          + "read k --frob 1\n"
          + "put " + "k".repeat(300) + " v\n"
          + "status\n"
          + "put k \"still here\"\n"
          + "read k\n",
          "-n", node.address().toString());

      assertEquals(0, run.exitCode(), run::toString);
      List<String> lines = run.out().lines().toList();
      assertEquals(10, lines.size(), run::toString);
      assertEquals("ERROR: unknown command 'frobnicate' (try help)", lines.get(0));
      assertEquals("ERROR: expected read|get KEY, got no arguments", lines.get(1));
      assertEquals("ERROR: unterminated quoted string", lines.get(2));
      assertEquals("ERROR: unknown escape '\\q' in a quoted string", lines.get(3));
      assertEquals("ERROR: --consistency: unknown consistency 'most' (one, quorum or all)",
          lines.get(4));
      assertTrue(lines.get(5).startsWith("ERROR: unknown option '--frob'"), lines.get(5));
      assertEquals("ERROR: key is 300 bytes, at most 256 allowed", lines.get(6));
      assertEquals("ERROR: unknown command 'status' (try help)", lines.get(7));
      assertEquals("OK", lines.get(8));
      assertEquals("still here", lines.get(9));
      assertEquals(2, node.requests(), "only the two valid commands were sent");
    }
  }

  @Test
  void perLineOptionsApplyToThatCommandAlone() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS))) {
      CliRun run = CliRun.withStdin(""
          + "put k v --consistency all --timeout 300\n"
          + "read k\n"
          + "put k -- --not-an-option\n"
          + "put k \"--quoted\"\n"
          + "put k -5\n",
          "-n", node.address().toString(), "--consistency", "one", "--timeout", "900");

      assertEquals("OK\nv\nOK\nOK\nOK\n", run.out(), run::toString);
      assertEquals(List.of(
          new KvRequest(KvOp.PUT, "k", "v", Consistency.ALL, 300),
          new KvRequest(KvOp.READ, "k", "", Consistency.ONE, 900),
          new KvRequest(KvOp.PUT, "k", "--not-an-option", Consistency.ONE, 900),
          new KvRequest(KvOp.PUT, "k", "--quoted", Consistency.ONE, 900),
          new KvRequest(KvOp.PUT, "k", "-5", Consistency.ONE, 900)), node.kvRequestsUnstamped());
    }
  }

  @Test
  void quitEndsTheSessionAndLaterLinesAreNotRead() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS))) {
      CliRun run = CliRun.withStdin("put k v\nquit\nput k w\n", "-n", node.address().toString());

      assertEquals(0, run.exitCode(), run::toString);
      assertEquals("OK\n", run.out());
      assertEquals(1, node.requests());
    }
  }

  @Test
  void valuesThatCouldBeMistakenAreQuoted() throws Exception {
    FakeStore store = new FakeStore(REPLICAS);
    try (FakeNode node = FakeNode.storing(store)) {
      CliRun run = CliRun.withStdin(""
          + "put a \"\"\n" + "read a\n"
          + "put b \"(not found)\"\n" + "read b\n"
          + "put c \"ERROR: no\"\n" + "read c\n"
          + "put d \"tab\\there\"\n" + "read d\n"
          + "put e plain\\text\n" + "read e\n",
          "-n", node.address().toString());

      assertEquals(0, run.exitCode(), run::toString);
      assertEquals(List.of("OK", "\"\"", "OK", "\"(not found)\"", "OK", "\"ERROR: no\"",
          "OK", "\"tab\\there\"", "OK", "plain\\text"), run.out().lines().toList());
      assertEquals(Map.of("a", "", "b", "(not found)", "c", "ERROR: no", "d", "tab\there",
          "e", "plain\\text"), store.values());
    }
  }

  @Test
  void jsonPrintsOneObjectPerLine() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS))) {
      CliRun run = CliRun.withStdin("put k v\nread k\nread nope\nlocate k\nbogus\n",
          "-n", node.address().toString(), "--json");

      List<String> lines = run.out().lines().toList();
      assertEquals(5, lines.size(), run::toString);
      ObjectMapper mapper = new ObjectMapper();
      assertEquals("ok", mapper.readTree(lines.get(0)).get("status").asText());
      assertEquals("v", mapper.readTree(lines.get(1)).get("value").asText());
      assertEquals("not-found", mapper.readTree(lines.get(2)).get("status").asText());
      JsonNode located = mapper.readTree(lines.get(3));
      assertEquals("127.0.0.1:7002", located.get(0).asText());
      JsonNode error = mapper.readTree(lines.get(4));
      assertEquals("error", error.get("status").asText());
      assertEquals("unknown command 'bogus' (try help)", error.get("reason").asText());
    }
  }

  @Test
  void noNodeAnsweringIsAnErrorLineNotTheEnd() throws Exception {
    try (SilentNode silent = new SilentNode()) {
      CliRun run = CliRun.withStdin("put k v\nput k w\n", "-n", silent.address().toString(),
          "--attempt-timeout", "50", "--attempts", "1");

      assertEquals(0, run.exitCode(), run::toString);
      assertEquals(List.of("ERROR: no node answered: " + silent.address()
              + " (1 attempt of 50 ms each)",
          "ERROR: no node answered: " + silent.address() + " (1 attempt of 50 ms each)"),
          run.out().lines().toList());
      assertEquals(2, silent.drainIds().size());
    }
  }

  @Test
  void promptOnlyAtATerminal() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS))) {
      CliRun typed = CliRun.interactive("put k v\n", "-n", node.address().toString());
      CliRun piped = CliRun.withStdin("put k v\n", "-n", node.address().toString());

      assertEquals("qkv> OK\nqkv> \n", typed.out());
      assertEquals("OK\n", piped.out());
    }
  }

  @Test
  void helpListsTheShellCommands() {
    CliRun run = CliRun.withStdin("help\n", "shell");

    assertEquals(0, run.exitCode(), run::toString);
    for (String expected : List.of("create KEY VALUE", "read|get KEY", "update KEY VALUE",
        "delete KEY", "put KEY VALUE", "locate KEY", "quit", "--consistency", "(not found)")) {
      assertTrue(run.out().contains(expected), "shell help mentions " + expected);
    }
  }

  @Test
  void anOverlongLineIsOneErrorAndTheNextLineWorks() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS))) {
      CliRun run = CliRun.withStdin("put k " + "x".repeat(70_000) + "\nput k v\r\nread k\n",
          "-n", node.address().toString());

      assertEquals(List.of("ERROR: line longer than 65536 characters", "OK", "v"),
          run.out().lines().toList());
    }
  }

  @Test
  void emptyInputEndsAtOnceWithZero() {
    CliRun run = CliRun.withStdin("", "shell");

    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("", run.out());
    assertEquals("", run.err());
  }

  @Test
  void shellTakesNoArguments() {
    CliRun run = CliRun.withStdin("", "shell", "extra");

    assertEquals(2, run.exitCode(), run::toString);
  }
}
