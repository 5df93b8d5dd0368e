package io.quorumkv.client.cli;

/**
 * A command ended without success. The message is one line for the operator; the exit code is one
 * of {@link ExitCode}.
 */
public final class CommandException extends Exception {

  private final int exitCode;

  public CommandException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** A mistake in the command line (exit code {@link ExitCode#USAGE}). */
  public static CommandException usage(String message) {
    return new CommandException(ExitCode.USAGE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
