package io.quorumkv.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.StatusReply;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Shows a node's member list: as an aligned table for people, or as a JSON array for scripts. */
final class StatusFormat {

  private static final List<String> HEADER =
      List.of("ADDRESS", "STATE", "INCARNATION", "GENERATION", "LAST HEARD");

  private StatusFormat() {
  }

  /**
   * The member table followed by one summary line, for example
   * "5 members as seen by 127.0.0.1:7001: 4 alive, 1 suspect".
   */
  static String table(StatusReply reply) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (MemberStatus member : reply.members()) {
      rows.add(List.of(member.address().toString(), member.state().wireName(),
          Long.toString(member.incarnation()), Long.toString(member.generation()),
          lastHeard(member.lastHeardMillisAgo())));
    }
    StringBuilder text = new StringBuilder();
    appendAligned(text, rows);
    text.append(summary(reply));
    return text.toString();
  }

  /** "0.2 s ago", or "-" when the node never heard from the member (itself included). */
  static String lastHeard(long millisAgo) {
    return millisAgo < 0 ? "-" : String.format(Locale.ROOT, "%.1f s ago", millisAgo / 1000.0);
  }

  /**
   * One object per member: address ("host:port"), state ("alive", "suspect", "dead", "left"),
   * incarnation, generation, and lastHeardMillisAgo (null when never heard from, as for the
   * reporting node itself).
   */
  static ArrayNode json(StatusReply reply) {
    ArrayNode array = Json.NODES.arrayNode();
    for (MemberStatus member : reply.members()) {
      ObjectNode row = array.addObject();
      row.put("address", member.address().toString());
      row.put("state", member.state().wireName());
      row.put("incarnation", member.incarnation());
      row.put("generation", member.generation());
      if (member.lastHeardMillisAgo() < 0) {
        row.putNull("lastHeardMillisAgo");
      } else {
        row.put("lastHeardMillisAgo", member.lastHeardMillisAgo());
      }
    }
    return array;
  }

  /** How many members are in each state, in the enum's order. */
  static Map<MemberState, Integer> countByState(StatusReply reply) {
    Map<MemberState, Integer> counts = new EnumMap<>(MemberState.class);
    for (MemberStatus member : reply.members()) {
      counts.merge(member.state(), 1, Integer::sum);
    }
    return counts;
  }

  /** "4 alive, 1 suspect": alive always, other states only when present. */
  static String describeCounts(Map<MemberState, Integer> counts) {
    StringBuilder text = new StringBuilder();
    text.append(counts.getOrDefault(MemberState.ALIVE, 0)).append(" alive");
    for (MemberState state : MemberState.values()) {
      int count = counts.getOrDefault(state, 0);
      if (state != MemberState.ALIVE && count > 0) {
        text.append(", ").append(count).append(' ').append(state.wireName());
      }
    }
    return text.toString();
  }

  private static String summary(StatusReply reply) {
    int size = reply.members().size();
    return size + (size == 1 ? " member" : " members") + " as seen by " + reply.node() + ": "
        + describeCounts(countByState(reply))
        + (reply.truncated() ? " (list truncated to fit one datagram)" : "");
  }

  /** Appends rows as left-aligned columns two spaces apart, without trailing blanks. */
  static void appendAligned(StringBuilder text, List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        line.append(row.get(c));
        if (c < columns - 1) {
          line.append(" ".repeat(widths[c] - row.get(c).length() + 2));
        }
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
