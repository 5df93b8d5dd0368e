package io.quorumkv.client.cli;

import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code shell} (also what {@code kvclient} runs with no command): key-value commands read line
 * by line from standard input, one result line each, through one client and one socket. See
 * {@link Shell}. The exit code is 0 however the commands fared; only unreadable input fails.
 */
final class ShellCommand implements Command {

  @Override
  public String name() {
    return "shell";
  }

  @Override
  public boolean sendsKvRequests() {
    return true;
  }

  @Override
  public String synopsis() {
    return "shell";
  }

  @Override
  public String summary() {
    return "commands from stdin, one result line each (the default)";
  }

  @Override
  public List<String> details() {
    return List.of(
        "Each line: a key-value command or locate as above; double-quote values with spaces",
        "(escapes \\\" \\\\ \\n \\t \\r \\uXXXX). --consistency and --timeout "
            + "on a line apply to it alone.",
        "One line out per command: the value read, OK, (not found) or ERROR: reason",
        "(--json: one JSON object per line). A value read is printed double-quoted when it is",
        "empty, holds control characters, or starts with \", ( or ERROR:. Blank lines and",
        "# comments print nothing; help; quit or exit. '-' is a plain value here. A prompt",
        "\"" + Shell.PROMPT + "\" only when stdin is a terminal. Exit code 0 unless stdin "
            + "cannot be read.");
  }

  @Override
  public int run(Invocation invocation)
      throws CommandException, KvClientException, IOException {
    invocation.expectArgs(0, synopsis());
    ShellInput input = new ShellInput(new BufferedReader(
        new InputStreamReader(invocation.in(), StandardCharsets.UTF_8)));
    try (KvClient client = invocation.openClient()) {
      new Shell(client, invocation.config().kvOptions(), input, invocation.out(),
          invocation.interactive(), invocation.json()).run();
    }
    return ExitCode.OK;
  }
}
