package io.quorumkv.client.cli;

import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.common.wire.StatusReply;
import java.io.IOException;
import java.util.List;

/** {@code status}: the member list as the first node that answers sees it. */
final class StatusCommand implements Command {

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String synopsis() {
    return "status";
  }

  @Override
  public String summary() {
    return "the members as the first answering node sees them";
  }

  @Override
  public List<String> details() {
    return List.of(
        "Columns: ADDRESS, STATE (alive, suspect, dead, left), INCARNATION, GENERATION,",
        "LAST HEARD (\"-\" for the node itself or a member it never heard from directly).",
        "--json: an array of {address, state, incarnation, generation, lastHeardMillisAgo}",
        "(lastHeardMillisAgo is null where the table shows \"-\").");
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
      Json.print(invocation.out(), StatusFormat.json(reply));
    } else {
      invocation.out().println(StatusFormat.table(reply));
    }
    return ExitCode.OK;
  }
}
