package io.quorumkv.node.grade;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A run's events written as the seed's {@code dbg.log} (SEED-GRADER.md section 1), so that the
 * graders count exactly what the original scripts counted, with the same greps and the same
 * field numbers. Each record is {@code " <address> [<tick>] <text>"}, with the leading space the
 * original's {@code LOG} writes; the texts are those of its {@code Log.cpp} helpers:
 *
 * <ul>
 *   <li>{@code Node <subject> joined at time <tick>} and {@code ... removed at time <tick>};
 *   <li>{@code coordinator|server: <op> success|fail at time <tick>, transID=<id>, key=<k>},
 *       followed by {@code , value=<v>} except for delete and for a failed read;
 *   <li>the test driver's {@code <OP> OPERATION KEY: <k> VALUE: <v> at time: <tick>}, logged
 *       under the coordinator's address before each request.
 * </ul>
 *
 * <p>The first line is {@code 131}, the hex sum of "CS425" the original writes first.
 */
public final class SeedLog {

  /** What the test driver did: asked {@code coordinator} to run {@code op} at {@code tick}. */
  public record Operation(long tick, Address coordinator, KvOp op, String key, String value) {
  }

  /** The original's first line. */
  static final String HEADER = "131";

  private final List<String> records;

  private SeedLog(List<String> records) {
    this.records = List.copyOf(records);
  }

  /** The records, in time order, each with its leading space (as raw grep output shows them). */
  public List<String> records() {
    return records;
  }

  /**
   * Builds the log of a run: the driver's operations and the nodes' events, merged in time order
   * (an operation comes before the events of the same tick, as the driver logs before it asks).
   */
  public static SeedLog of(List<Operation> operations, List<TimedEvent> events, long tickMillis) {
    record Timed(long millis, int order, String record) {
    }
    List<Timed> all = new ArrayList<>();
    for (Operation op : operations) {
      all.add(new Timed(op.tick() * tickMillis, 0, record(op.coordinator(), op.tick(),
          op.op().name() + " OPERATION KEY: " + op.key() + " VALUE: " + op.value()
              + " at time: " + op.tick())));
    }
    for (TimedEvent e : events) {
      String text = text(e.event(), e.tick(tickMillis));
      if (text != null) {
        all.add(new Timed(e.timeMillis(), 1, record(e.event().observer(), e.tick(tickMillis),
            text)));
      }
    }
    all.sort(Comparator.comparingLong(Timed::millis).thenComparingInt(Timed::order));
    return new SeedLog(all.stream().map(Timed::record).toList());
  }

  /** Writes the log as the original's dbg.log: the header line, then one record per line. */
  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    List<String> lines = new ArrayList<>(records.size() + 1);
    lines.add(HEADER);
    lines.addAll(records);
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static String record(Address node, long tick, String text) {
    return " " + node + " [" + tick + "] " + text;
  }

  /** The Log.cpp text of an event, or null for an event the original never logged. */
  static String text(NodeEvent event, long tick) {
    if (event instanceof NodeEvent.Membership m) {
      String change = m.change() == NodeEvent.MembershipChange.JOINED ? "joined" : "removed";
      return "Node " + m.subject() + " " + change + " at time " + tick;
    }
    if (event instanceof NodeEvent.KvOutcome kv) {
      String role = kv.role() == NodeEvent.Role.COORDINATOR ? "coordinator" : "server";
      String text = role + ": " + kv.op().name().toLowerCase(Locale.ROOT) + " "
          + (kv.success() ? "success" : "fail") + " at time " + tick + ", transID="
          + kv.requestId() + ", key=" + kv.key();
      boolean valueLogged = kv.op() != KvOp.DELETE && (kv.op() != KvOp.READ || kv.success());
      return valueLogged ? text + ", value=" + kv.value() : text;
    }
    return null;
  }
}
