package io.quorumkv.it.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a growing event log: new complete lines only, key-value lines skipped. */
class EventTailTest {

  private static final String SUSPECTED = "{\"time\":1000,\"observer\":\"127.0.0.1:7101\","
      + "\"event\":\"suspected\",\"subject\":\"127.0.0.1:7102\",\"generation\":5,"
      + "\"incarnation\":2}";
  private static final String REMOVED = "{\"time\":1500,\"observer\":\"127.0.0.1:7101\","
      + "\"event\":\"removed\",\"subject\":\"127.0.0.1:7102\",\"generation\":5,"
      + "\"incarnation\":2}";
  private static final String KV = "{\"time\":1200,\"observer\":\"127.0.0.1:7101\","
      + "\"event\":\"kv\",\"role\":\"replica\",\"op\":\"read\",\"outcome\":\"fail\","
      + "\"client\":\"127.0.0.1:9000\",\"requestId\":17,\"key\":\"k\",\"value\":\"\"}";

  @TempDir
  Path dir;

  @Test
  void eachPollReturnsTheEventsAppendedSinceTheLastOne() throws Exception {
    Path log = dir.resolve("events.jsonl");
    EventTail tail = new EventTail(log);
    assertTrue(tail.poll().isEmpty(), "no file yet");

    append(log, SUSPECTED + "\n" + KV + "\n" + "garbage\n" + REMOVED.substring(0, 40));
    List<TimedEvent> first = tail.poll();
    assertEquals(1, first.size(), "the half-written last line waits: " + first);
    NodeEvent.Suspected s = (NodeEvent.Suspected) first.get(0).event();
    assertEquals(1000, first.get(0).timeMillis());
    assertEquals("127.0.0.1:7102", s.subject().toString());
    assertEquals(2, s.incarnation());

    append(log, REMOVED.substring(40) + "\n");
    List<TimedEvent> second = tail.poll();
    assertEquals(1, second.size());
    assertEquals(NodeEvent.MembershipChange.REMOVED,
        ((NodeEvent.Membership) second.get(0).event()).change());
    assertTrue(tail.poll().isEmpty(), "nothing new");
  }

  @Test
  void aLogLargerThanOneReadIsReadWhole() throws Exception {
    Path log = dir.resolve("events.jsonl");
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 20_000; i++) { // about 3.5 MB, several reads
      big.append(KV).append('\n');
      if (i % 1000 == 0) {
        big.append(SUSPECTED).append('\n');
      }
    }
    append(log, big.toString());
    assertEquals(20, new EventTail(log).poll().size());
  }

  private static void append(Path log, String text) throws Exception {
    Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
