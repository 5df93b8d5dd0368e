package io.quorumkv.client.cli;

import io.quorumkv.client.KvClientException;
import java.io.IOException;
import java.util.List;
import org.apache.commons.cli.Options;

/** One kvclient command, such as {@code status}. Implementations are stateless. */
public interface Command {

  /** The word that selects the command. */
  String name();

  /** Other words that select the command, such as {@code get} for {@code read}. */
  default List<String> aliases() {
    return List.of();
  }

  /**
   * True if the command sends key-value requests, so that --timeout is the request timeout the
   * coordinator honours; false if --timeout is how long one attempt waits (status, stats, ...).
   */
  default boolean sendsKvRequests() {
    return false;
  }

  /** The command with its arguments, as shown in help: {@code wait-members N [--within MS]}. */
  String synopsis();

  /** A few words that say what the command does, for the command list in help. */
  String summary();

  /** Lines of at most ~90 characters that explain output and options, for help; may be empty. */
  default List<String> details() {
    return List.of();
  }

  /** Options only this command accepts (the global ones are added by the caller). */
  default Options options() {
    return new Options();
  }

  /** Runs the command and returns its exit code; failures are thrown with a one-line message. */
  int run(Invocation invocation) throws CommandException, KvClientException, IOException;
}
