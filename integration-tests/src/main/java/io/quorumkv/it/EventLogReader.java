package io.quorumkv.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a node's JSON-lines event log back into the events the emulator records, so that the same
 * graders score real and emulated runs. Times become milliseconds since {@code originMillis}.
 * A line that does not parse (a node killed mid-write) is skipped.
 */
public final class EventLogReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private EventLogReader() {
  }

  public static List<TimedEvent> read(Path log, long originMillis) throws IOException {
    List<TimedEvent> events = new ArrayList<>();
    if (!Files.exists(log)) {
      return events;
    }
    for (String line : Files.readAllLines(log)) {
      TimedEvent event = parseLine(line, originMillis);
      if (event != null) {
        events.add(event);
      }
    }
    return events;
  }

  /**
   * One line of an event log, its time made relative to {@code originMillis}; null for a line
   * that does not parse or is of a kind this reader does not know.
   */
  public static TimedEvent parseLine(String line, long originMillis) {
    try {
      JsonNode e = JSON.readTree(line);
      NodeEvent event = parse(e);
      return event == null ? null : new TimedEvent(e.path("time").asLong() - originMillis, event);
    } catch (IOException | RuntimeException ignored) {
      return null;
    }
  }

  private static NodeEvent parse(JsonNode e) {
    Address observer = Address.parse(e.path("observer").asText());
    String kind = e.path("event").asText();
    switch (kind) {
      case "joined":
      case "removed":
        return new NodeEvent.Membership(observer,
            NodeEvent.MembershipChange.valueOf(kind.toUpperCase(Locale.ROOT)),
            Address.parse(e.path("subject").asText()), e.path("generation").asLong(),
            e.path("incarnation").asLong());
      case "suspected":
        return new NodeEvent.Suspected(observer, Address.parse(e.path("subject").asText()),
            e.path("generation").asLong(), e.path("incarnation").asLong());
      case "kv":
        return new NodeEvent.KvOutcome(observer,
            NodeEvent.Role.valueOf(e.path("role").asText().toUpperCase(Locale.ROOT)),
            KvOp.fromWire(e.path("op").asText()), "success".equals(e.path("outcome").asText()),
            Address.parse(e.path("client").asText()), e.path("requestId").asLong(),
            e.path("key").asText(), e.path("value").asText());
      default:
        return null;
    }
  }
}
