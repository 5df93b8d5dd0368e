package io.quorumkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountersTest {

  @Test
  void countsByNameAndSnapshotsInNameOrder() {
    Counters c = new Counters();
    c.increment("wire.sent");
    c.add("kv.ae.pushed", 5);
    c.increment("wire.sent");
    assertEquals(2, c.get("wire.sent"));
    assertEquals(5, c.get("kv.ae.pushed"));
    assertEquals(0, c.get("never"));
    Map<String, Long> snapshot = c.snapshot();
    assertEquals(List.of("kv.ae.pushed", "wire.sent"), List.copyOf(snapshot.keySet()));
    c.increment("wire.sent");
    assertEquals(2, snapshot.get("wire.sent"), "a snapshot is a copy");
  }

  @Test
  void namesPastTheBoundAreCountedAsOverflow() {
    Counters c = new Counters();
    for (int i = 0; i < Counters.MAX_NAMES; i++) {
      c.increment("name." + i);
    }
    c.add("one.too.many", 3);
    c.increment("another");
    c.increment("name.7");
    assertEquals(0, c.get("one.too.many"));
    assertEquals(4, c.get("counters.overflow"));
    assertEquals(2, c.get("name.7"), "known names still count");
    assertEquals(Counters.MAX_NAMES + 1, c.snapshot().size());
  }

  @Test
  void aHandleCountsUnderItsNameAndIsListedOnlyOnceCounted() {
    Counters c = new Counters();
    Counters.Counter sent = c.counter("net.sent");
    assertEquals(Map.of(), c.snapshot(), "a counter at zero is not listed");
    sent.increment();
    sent.add(4);
    c.increment("net.sent");
    assertEquals(6, c.get("net.sent"));
    assertEquals(Map.of("net.sent", 6L), c.snapshot());
    assertSame(sent, c.counter("net.sent"), "one counter per name");
  }

  @Test
  void aHandleAskedForPastTheBoundCountsAsOverflow() {
    Counters c = new Counters();
    for (int i = 0; i < Counters.MAX_NAMES; i++) {
      c.counter("name." + i);
    }
    c.counter("one.too.many").add(2);
    assertEquals(0, c.get("one.too.many"));
    assertEquals(2, c.get("counters.overflow"));
  }
}
