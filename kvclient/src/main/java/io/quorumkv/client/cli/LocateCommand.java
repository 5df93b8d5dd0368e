package io.quorumkv.client.cli;

import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvLimits;
import io.quorumkv.common.wire.LocateReply;
import java.io.IOException;
import java.util.List;

/**
 * {@code locate KEY}: the key's replicas in preference order, as the first node that answers sees
 * its ring. One "host:port" per line, primary first; --json: an array of them. The answering node
 * replies by itself, so --timeout here is how long one attempt waits, as for status.
 */
final class LocateCommand implements Command {

  @Override
  public String name() {
    return "locate";
  }

  @Override
  public String synopsis() {
    return "locate KEY";
  }

  @Override
  public String summary() {
    return "the replicas of KEY, primary first";
  }

  @Override
  public List<String> details() {
    return List.of("One host:port per line, in preference order; --json: an array of "
        + "\"host:port\".");
  }

  @Override
  public int run(Invocation invocation)
      throws CommandException, KvClientException, IOException {
    invocation.expectArgs(1, synopsis());
    String key = invocation.args().get(0);
    String problem = KvLimits.problemWith(key, "");
    if (problem != null) {
      throw new CommandException(ExitCode.USAGE, problem);
    }
    LocateReply reply;
    try (KvClient client = invocation.openClient()) {
      reply = client.locate(key);
    }
    if (reply.replicas().isEmpty()) {
      throw new CommandException(ExitCode.UNAVAILABLE, "the node knows no replicas for key '"
          + key + "' (is its ring empty?)");
    }
    if (invocation.json()) {
      Json.print(invocation.out(), KvFormat.json(reply.replicas()));
    } else {
      for (Address replica : reply.replicas()) {
        invocation.out().println(replica);
      }
    }
    return ExitCode.OK;
  }
}
