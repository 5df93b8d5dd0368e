package io.quorumkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaitMembersTest {

  @Test
  void succeedsWhenEveryNodeSeesTheWantedAliveMembers() throws Exception {
    try (FakeNode first = FakeNode.answering(FakeNode.members(3, 0), Map.of());
        FakeNode second = FakeNode.answering(FakeNode.members(3, 0), Map.of())) {
      CliRun run = CliRun.of("-n", first.address() + "," + second.address(),
          "wait-members", "3", "--within", "10000");

      assertEquals(0, run.exitCode(), run::toString);
      assertTrue(run.out().startsWith("ADDRESS"), run::toString);
      assertTrue(run.out().contains("3 members as seen by " + first.address() + ": 3 alive"),
          run::toString);
      assertEquals(1, first.requests());
      assertEquals(1, second.requests());
    }
  }

  @Test
  void timesOutWhenANodeStillSeesASuspect() throws Exception {
    try (FakeNode ready = FakeNode.answering(FakeNode.members(3, 0), Map.of());
        FakeNode lagging = FakeNode.answering(FakeNode.members(3, 1), Map.of())) {
      CliRun run = CliRun.of("-n", ready.address() + "," + lagging.address(),
          "wait-members", "3", "--within", "500");

      assertEquals(3, run.exitCode(), run::toString);
      assertEquals("kvclient: wait-members: the cluster did not reach 3 alive members within "
          + "500 ms; last seen: " + lagging.address() + " sees 3 alive, 1 suspect\n", run.err());
      assertEquals("", run.out());
      assertTrue(lagging.requests() >= 2, "it polled more than once");
    }
  }

  @Test
  void aNodeThatNeverAnswersIsNotReady() throws Exception {
    try (SilentNode silent = new SilentNode()) {
      CliRun run = CliRun.of("-n", silent.address().toString(), "--timeout", "50",
          "wait-members", "1", "--within", "200");

      assertEquals(3, run.exitCode(), run::toString);
      assertTrue(run.err().endsWith("last seen: " + silent.address() + " did not answer\n"),
          run::toString);
    }
  }

  @Test
  void jsonPrintsTheFirstNodesMembers() throws Exception {
    try (FakeNode node = FakeNode.answering(FakeNode.members(2, 0), Map.of())) {
      CliRun run = CliRun.of("--json", "-n", node.address().toString(), "wait-members", "2");

      assertEquals(0, run.exitCode(), run::toString);
      assertEquals(2, new ObjectMapper().readTree(run.out()).size());
    }
  }
}
