package io.quorumkv.it.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.it.ToolArgs;
import io.quorumkv.it.ToolRun;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * failover-bench.sh's command line (help, refusals, defaults) and its verdict on hand-made
 * results; no cluster is started here (the bench's runs take minutes).
 */
class FailoverMainTest {

  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void helpTeachesTheMeasurementsTheFlagsAndTheExitCodes() throws Exception {
    ToolRun.assertHelpMentions(FailoverMain::run, "SIGKILL", "SIGSTOP", "SIGCONT", "--kills",
        "--stops", "--soak", "--rate", "--no-load", "--base-port", "7101-7110", "median",
        "90th percentile", "kvclient bench", "Ctrl-C", "Exit status");
  }

  @Test
  void badArgumentsExitTwoWithOneLine() throws Exception {
    ToolRun.assertRefused(FailoverMain::run, "failover-bench", new String[] {"--kills", "x"},
        new String[] {"--kills", "-1"}, new String[] {"--soak", "86401"},
        new String[] {"--nodes", "2"}, new String[] {"--base-port", "65530"},
        new String[] {"--no-load", "--rate", "100"}, new String[] {"--frobnicate"},
        new String[] {"stray"}, new String[] {"--kvnode-jar", "/nonexistent/kvnode.jar"});
  }

  @Test
  void theDefaultsAreTenNodesOnPorts7101To7110TenKillsTenStopsAndATenMinuteSoak() {
    FailoverMain.Settings s = settings();
    FailoverBench.Options o = s.options();
    assertEquals(10, o.ports().size());
    assertEquals(7101, o.ports().get(0));
    assertEquals(7110, o.ports().get(9));
    assertEquals(10, o.kills());
    assertEquals(10, o.stops());
    assertEquals(600, o.soakSeconds());
    assertEquals(2000, o.rate());
    assertTrue(o.durable());
    assertTrue(o.kvclient().endsWith("scripts/kvclient"));
    assertEquals(1000, s.goalMillis());
  }

  @Test
  void flagsChangeTheCountsTheSoakThePortsAndTheLoad() {
    FailoverBench.Options o = settings("--kills", "3", "--stops", "0", "--soak", "20",
        "--no-load", "--nodes", "5", "--base-port", "7150", "--memory").options();
    assertEquals(List.of(7151, 7152, 7153, 7154, 7155), o.ports());
    assertEquals(3, o.kills());
    assertEquals(0, o.stops());
    assertEquals(20, o.soakSeconds());
    assertNull(o.kvclient(), "no load");
    assertFalse(o.durable());
  }

  @Test
  void theGoalsAreBothMediansWithinTheGoalAndNoFalseRemoval() {
    Address victim = new Address("127.0.0.1", 7101);
    Address survivor = new Address("127.0.0.1", 7102);
    List<Detection> fast = List.of(run(victim, survivor, 600), run(victim, survivor, 900),
        run(victim, survivor, 2_000));
    List<Detection> slow = List.of(run(victim, survivor, 1_100), run(victim, survivor, 1_200));
    assertTrue(FailoverMain.goalsMet(result(fast, fast, Alarms.among(List.of())), 1000));
    assertFalse(FailoverMain.goalsMet(result(fast, slow, Alarms.among(List.of())), 1000),
        "the stops' median is 1150 ms");
    assertTrue(FailoverMain.goalsMet(result(fast, slow, Alarms.among(List.of())), 1150));
    Alarms suspicionOnly = Alarms.among(List.of(
        new TimedEvent(5, new NodeEvent.Suspected(survivor, victim, 1, 0))));
    assertTrue(FailoverMain.goalsMet(result(fast, fast, suspicionOnly), 1000),
        "a refuted suspicion is counted, not a missed goal");
    Alarms removal = Alarms.among(List.of(new TimedEvent(5, new NodeEvent.Membership(survivor,
        NodeEvent.MembershipChange.REMOVED, victim, 1, 0))));
    assertFalse(FailoverMain.goalsMet(result(fast, fast, removal), 1000));
    List<Detection> undetected = List.of(Detection.of(victim, List.of(survivor), 0,
        Long.MAX_VALUE, List.of()));
    assertFalse(FailoverMain.goalsMet(result(undetected, List.of(), null), 1000));
  }

  @Test
  void theSummaryGivesTheFiguresForTheReadme() {
    Address victim = new Address("127.0.0.1", 7101);
    Address survivor = new Address("127.0.0.1", 7102);
    List<Detection> runs = List.of(run(victim, survivor, 700), run(victim, survivor, 800));
    List<String> lines = FailoverMain.summary(result(runs, List.of(), Alarms.among(List.of())),
        settings().options(), 1000);
    String text = String.join("\n", lines);
    assertTrue(text.contains("SIGKILL, removed by every survivor: median 750 ms, p90 800 ms,"
        + " max 800 ms (2 runs)"), text);
    assertTrue(text.contains("soak 600 s under bench load at 2000 ops/s: 0 false suspicions"
        + " (0 lines), 0 false removals (of 0 live members)"), text);
    assertTrue(text.endsWith("goals (medians at most 1000 ms, no false removal): met"), text);
  }

  private static Detection run(Address victim, Address survivor, long millis) {
    return Detection.of(victim, List.of(survivor), 0, Long.MAX_VALUE, List.of(new TimedEvent(
        millis, new NodeEvent.Membership(survivor, NodeEvent.MembershipChange.REMOVED, victim,
            1, 0))));
  }

  private static FailoverBench.Result result(List<Detection> kills, List<Detection> stops,
      Alarms soak) {
    return new FailoverBench.Result(kills, stops, soak == null ? null
        : new FailoverBench.Soak(600, soak, Map.of(), 0, ""), "not measured", List.of());
  }

  private static FailoverMain.Settings settings(String... args) {
    ToolArgs parsed = ToolArgs.parse("failover-bench", FailoverMain.USAGE,
        FailoverMain.options(), args, NOWHERE, NOWHERE);
    assertTrue(parsed.parsed(), String.join(" ", args));
    return FailoverMain.settings(parsed);
  }
}
