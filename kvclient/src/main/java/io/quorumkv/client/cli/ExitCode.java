package io.quorumkv.client.cli;

/** The exit codes of the kvclient CLI; scripts depend on them, so they never change meaning. */
public final class ExitCode {

  /** The command did what it was asked. */
  public static final int OK = 0;
  /** A key was not found or a precondition failed (used by the key-value commands). */
  public static final int NOT_FOUND = 1;
  /** The command line was wrong: unknown command or option, missing or bad argument. */
  public static final int USAGE = 2;
  /** No node answered, or a deadline passed before the cluster reached the wanted state. */
  public static final int UNAVAILABLE = 3;

  private ExitCode() {
  }
}
