package io.quorumkv.client.cli;

import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.client.KvResult;
import io.quorumkv.common.wire.KvLimits;
import io.quorumkv.common.wire.KvOp;
import java.io.IOException;
import java.util.List;

/**
 * One key-value command: {@code create KEY VALUE}, {@code read KEY} (alias {@code get}),
 * {@code update KEY VALUE}, {@code delete KEY} or {@code put KEY VALUE}.
 *
 * <p>Output is made for scripts: a read prints the value alone with a newline, a write prints
 * nothing; with --json either prints one object. A failure prints its reason on standard error
 * and exits 1 (not found, exists), 2 (invalid) or 3 (unavailable, overloaded, no node answered).
 * A key or value the coordinator would refuse is refused here, before anything is sent.
 */
final class KvCommand implements Command {

  private final KvOp op;

  KvCommand(KvOp op) {
    this.op = op;
  }

  KvOp op() {
    return op;
  }

  @Override
  public String name() {
    return op.wireName();
  }

  @Override
  public List<String> aliases() {
    return op == KvOp.READ ? List.of("get") : List.of();
  }

  @Override
  public boolean sendsKvRequests() {
    return true;
  }

  @Override
  public String synopsis() {
    String names = op == KvOp.READ ? "read|get" : name();
    return names + (op.carriesValue() ? " KEY VALUE" : " KEY");
  }

  @Override
  public String summary() {
    switch (op) {
      case CREATE:
        return "insert KEY; fails (exit 1) if it exists";
      case READ:
        return "print the value of KEY; exit 1 if it does not exist";
      case UPDATE:
        return "overwrite KEY; fails (exit 1) if it does not exist";
      case DELETE:
        return "delete KEY; fails (exit 1) if it does not exist";
      case PUT:
        return "insert or overwrite KEY";
      default:
        throw new IllegalStateException(op.name());
    }
  }

  @Override
  public int run(Invocation invocation)
      throws CommandException, KvClientException, IOException {
    invocation.expectArgs(op.carriesValue() ? 2 : 1, synopsis());
    String key = invocation.args().get(0);
    String value = op.carriesValue() ? invocation.args().get(1) : "";
    if (op.carriesValue() && value.equals("-")) {
      value = StdinValue.read(invocation.in());
    }
    String problem = KvLimits.problemWith(key, value);
    if (problem != null) {
      throw new CommandException(ExitCode.USAGE, problem);
    }
    KvResult result;
    try (KvClient client = invocation.openClient()) {
      result = client.execute(op, key, value, invocation.config().kvOptions());
    }
    if (invocation.json()) {
      Json.print(invocation.out(), KvFormat.json(op, key, result));
    } else if (result.isOk() && op == KvOp.READ) {
      invocation.out().println(result.value());
    }
    if (!result.isOk()) {
      throw new CommandException(KvFormat.exitCode(result.status()),
          KvFormat.failure(key, result));
    }
    return ExitCode.OK;
  }
}
