package io.quorumkv.client.cli;

import io.quorumkv.client.KvClientException;
import java.io.IOException;
import org.apache.commons.cli.Options;

/** One kvclient command, such as {@code status}. Implementations are stateless. */
public interface Command {

  /** The word that selects the command. */
  String name();

  /** The command with its arguments, as shown in help: {@code wait-members N [--within MS]}. */
  String synopsis();

  /** One line that says what the command does, for the command list in help. */
  String summary();

  /** Options only this command accepts (the global ones are added by the caller). */
  default Options options() {
    return new Options();
  }

  /** Runs the command and returns its exit code; failures are thrown with a one-line message. */
  int run(Invocation invocation) throws CommandException, KvClientException, IOException;
}
