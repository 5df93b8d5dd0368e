package io.quorumkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: help, argument errors (exit 2, one line), and start-up failures (exit 1). */
class NodeMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void helpTeachesTheFlagsAndExitsZero() {
    assertEquals(0, run("--help"));
    String help = text(out);
    for (String flag : List.of("--bind", "--seeds", "--preset", "--event-log", "--log-level",
        "--random-seed", "--fault-drop-rate", "--fault-seed", "-h, --help", "Default: lan",
        "--data-dir DIR", "--sync always|group", "Default: group",
        "--preset local --seeds 127.0.0.1:7001,127.0.0.1:7002")) {
      assertTrue(help.contains(flag), "help mentions " + flag);
    }
    assertEquals("", text(err));
    assertEquals(0, run("-h"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                                        | --bind HOST:PORT is required",
      "--bogus                                                   | Unrecognized option: --bogus",
      "--bind                                                    | Missing argument for option: bind",
      "--bind localhost                                          | --bind: address must look like host:port",
      "--bind 127.0.0.1:99999                                    | --bind: port must be in 0..65535",
      "--bind 127.0.0.1:0 --bind 127.0.0.1:1                     | --bind is given more than once",
      "--bind 127.0.0.1:0 extra                                  | unexpected argument 'extra'",
      "--bind 127.0.0.1:0 --preset wan                           | --preset must be lan or local",
      "--bind 127.0.0.1:0 --seeds 127.0.0.1:7001,                | --seeds: address must look like",
      "--bind 127.0.0.1:0 --seeds 127.0.0.1:0                    | --seeds: port 0 is not a reachable address",
      "--bind 127.0.0.1:0 --log-level trace                      | --log-level must be warn, info or debug",
      "--bind 127.0.0.1:0 --random-seed 1.5                      | --random-seed must be a whole number",
      "--bind 127.0.0.1:0 --fault-seed x                         | --fault-seed must be a whole number",
      "--bind 127.0.0.1:0 --fault-drop-rate 1.5                  | --fault-drop-rate must be a number from 0 to 1",
      "--bind 127.0.0.1:0 --fault-drop-rate abc                  | --fault-drop-rate must be a number from 0 to 1",
      "--bind 127.0.0.1:0 --fault-drop-window 5,5                | --fault-drop-window must be FROM,UNTIL",
      "--bind 127.0.0.1:0 --fault-drop-window x                  | --fault-drop-window must be FROM,UNTIL",
      "--bind 127.0.0.1:0 --fault-drop-window +5,9               | --fault-drop-window must be FROM,UNTIL",
      "--bind 0.0.0.0:0                                          | bind to a concrete address, not the wildcard",
      "--bind 127.0.0.1:0 --data-dir d                           | --data-dir needs a fixed --bind port",
      "--bind 127.0.0.1:7001 --sync always                       | --sync applies to a --data-dir node only",
      "--bind 127.0.0.1:7001 --data-dir d --sync never           | --sync must be always or group, got 'never'",
  })
  void badArgumentsExitTwoWithOneLineAndAHint(String args, String message) {
    assertEquals(2, run(args.isEmpty() ? new String[0] : args.split(" ")));
    List<String> lines = text(err).lines().toList();
    assertEquals(2, lines.size(), text(err));
    assertTrue(lines.get(0).startsWith("kvnode: "), lines.get(0));
    assertTrue(lines.get(0).contains(message), lines.get(0));
    assertEquals("Try 'kvnode --help' for usage.", lines.get(1));
    assertEquals("", text(out));
  }

  @Test
  void portInUseExitsOneWithAClearMessage() throws IOException {
    try (DatagramChannel busy = DatagramChannel.open()) {
      busy.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) busy.getLocalAddress()).getPort();
      assertEquals(1, run("--bind", "127.0.0.1:" + port));
    }
    String message = text(err);
    assertTrue(message.startsWith("kvnode: cannot listen on 127.0.0.1:"), message);
    assertTrue(message.contains("in use"), message);
    assertFalse(message.contains("\tat "), "no stack trace");
  }

  @Test
  void anEventLogThatCannotBeOpenedExitsOne(@TempDir Path dir) {
    assertEquals(1, run("--bind", "127.0.0.1:0", "--event-log", dir.toString()));
    assertTrue(text(err).startsWith("kvnode: cannot open event log " + dir), text(err));
  }

  @Test
  void aDataDirectoryOfAnotherNodeExitsOneWithOneLine(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    io.quorumkv.node.storage.RocksStorage.open(data, Address.parse("127.0.0.1:1"),
        io.quorumkv.node.storage.SyncPolicy.GROUP).close();
    int port;
    try (DatagramChannel free = DatagramChannel.open()) {
      free.bind(new InetSocketAddress("127.0.0.1", 0));
      port = ((InetSocketAddress) free.getLocalAddress()).getPort();
    }
    assertEquals(1, run("--bind", "127.0.0.1:" + port, "--data-dir", data.toString()));
    assertEquals(List.of("kvnode: --data-dir " + data + ": belongs to node 127.0.0.1:1, not to"
        + " 127.0.0.1:" + port + ": each node needs its own data directory (start 127.0.0.1:1"
        + " with it, or give this node a new directory)"), text(err).lines().toList());
  }

  @Test
  void parseAppliesDefaults() throws NodeArgs.UsageException {
    NodeArgs args = NodeArgs.parse(new String[] {"--bind", "127.0.0.1:7001"});
    assertEquals(new Address("127.0.0.1", 7001), args.bind());
    assertEquals(List.of(), args.seeds());
    assertEquals("lan", args.preset());
    assertEquals(NodeConfig.lan(), args.config());
    assertEquals(null, args.eventLog());
    assertEquals("info", args.logLevel());
    assertTrue(args.randomSeed().isEmpty());
    assertEquals(0.0, args.faultDropRate());
    assertTrue(args.faultSeed().isEmpty());
    assertFalse(args.awaitStart());
    assertEquals(null, args.dataDir());
    assertEquals(io.quorumkv.node.storage.SyncPolicy.GROUP, args.sync());
    assertFalse(args.help());
  }

  @Test
  void parseReadsEveryFlag() throws NodeArgs.UsageException {
    NodeArgs args = NodeArgs.parse(new String[] {"--bind", "127.0.0.1:7003", "--seeds",
        "127.0.0.1:7001, 127.0.0.1:7002", "--preset", "local", "--event-log", "ev.jsonl",
        "--log-level", "DEBUG", "--random-seed", "-5", "--fault-drop-rate", "0.25",
        "--fault-seed", "9", "--fault-drop-window", "1000,2000", "--await-start",
        "--data-dir", "data/n3", "--sync", "always"});
    assertEquals(List.of(Address.parse("127.0.0.1:7001"), Address.parse("127.0.0.1:7002")),
        args.seeds());
    assertEquals(NodeConfig.local(), args.config());
    assertEquals(Path.of("ev.jsonl"), args.eventLog());
    assertEquals("debug", args.logLevel());
    assertEquals(-5, args.randomSeed().getAsLong());
    assertEquals(0.25, args.faultDropRate());
    assertEquals(9, args.faultSeed().getAsLong());
    assertEquals(new DropWindow(1000, 2000, false), args.faultWindow());
    assertTrue(args.awaitStart());
    assertEquals(Path.of("data/n3"), args.dataDir());
    assertEquals(io.quorumkv.node.storage.SyncPolicy.ALWAYS, args.sync());
  }

  @Test
  void aDropWindowWithPlusSignsCountsFromTheNodesStart() throws NodeArgs.UsageException {
    NodeArgs args = NodeArgs.parse(new String[] {"--bind", "127.0.0.1:7003",
        "--fault-drop-window", "+5100,+30100"});
    assertEquals(new DropWindow(5100, 30100, true), args.faultWindow());
    assertEquals(1_005_100, args.faultWindow().fromMillis(1_000_000));
    assertEquals(1_030_100, args.faultWindow().untilMillis(1_000_000));
    assertEquals(7, new DropWindow(7, 9, false).fromMillis(1_000_000));
  }

  private int run(String... args) {
    return NodeMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
