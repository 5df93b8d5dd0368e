package io.quorumkv.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.common.wire.StatusReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code stats}: the counters of the first node that answers, by dotted name. */
final class StatsCommand implements Command {

  @Override
  public String name() {
    return "stats";
  }

  @Override
  public String synopsis() {
    return "stats";
  }

  @Override
  public String summary() {
    return "the counters of the first answering node";
  }

  @Override
  public List<String> details() {
    return List.of("One 'name value' line per counter, sorted by name; --json: one object.");
  }

  @Override
  public int run(Invocation invocation)
      throws CommandException, KvClientException, IOException {
    invocation.expectArgs(0, synopsis());
    StatusReply reply;
    try (KvClient client = invocation.openClient()) {
      reply = client.status();
    }
    if (invocation.json()) {
      ObjectNode counters = Json.NODES.objectNode();
      reply.counters().forEach(counters::put);
      Json.print(invocation.out(), counters);
    } else if (!reply.counters().isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      for (Map.Entry<String, Long> counter : reply.counters().entrySet()) {
        rows.add(List.of(counter.getKey(), Long.toString(counter.getValue())));
      }
      StringBuilder text = new StringBuilder();
      StatusFormat.appendAligned(text, rows);
      invocation.out().print(text);
    }
    return ExitCode.OK;
  }
}
