package io.quorumkv.client.cli;

/**
 * A command ended without success. The message is one line for the operator; the exit code is one
 * of {@link ExitCode}.
 */
public final class CommandException extends Exception {

  private final int exitCode;
  private final boolean helpHint;

  /** A failure with {@code exitCode}, whose message needs no pointer to the help text. */
  public CommandException(int exitCode, String message) {
    this(exitCode, message, false);
  }

  private CommandException(int exitCode, String message, boolean helpHint) {
    super(message);
    this.exitCode = exitCode;
    this.helpHint = helpHint;
  }

  /**
   * A mistake in the command line (exit code {@link ExitCode#USAGE}); the message is followed by a
   * pointer to the help text.
   */
  public static CommandException usage(String message) {
    return new CommandException(ExitCode.USAGE, message, true);
  }

  public int exitCode() {
    return exitCode;
  }

  /** True when the printed message should point to {@code kvclient --help}. */
  public boolean helpHint() {
    return helpHint;
  }
}
