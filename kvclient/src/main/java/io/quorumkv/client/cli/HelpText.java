package io.quorumkv.client.cli;

import io.quorumkv.client.ClientConfig;
import java.util.ArrayList;
import java.util.List;

/** The text of {@code kvclient --help}: commands, options, defaults, exit codes, examples. */
public final class HelpText {

  private HelpText() {
  }

  /** The whole help text, ending with a newline. */
  public static String render(String defaultNodes) {
    ClientConfig defaults = ClientConfig.defaults();
    StringBuilder text = new StringBuilder();
    text.append("Usage: kvclient [-n|--nodes host:port[,host:port...]] [--timeout MS]\n"
        + "                [--attempts N] [--json] COMMAND [ARGS]\n\n");
    text.append("Talks to a QuorumKV cluster over UDP: sends a request to a node and prints its "
        + "answer.\nIf a node does not answer, the next node of --nodes is asked.\n\n");

    text.append("Commands:\n");
    List<List<String>> commands = new ArrayList<>();
    for (Command command : Commands.all()) {
      commands.add(List.of("  " + command.synopsis(), command.summary()));
    }
    commands.add(List.of("  help", "print this text (same as --help)"));
    StatusFormat.appendAligned(text, commands);
    text.append("  (Key-value commands come in a later version.)\n\n");
    text.append("Command details:\n");
    for (Command command : Commands.all()) {
      if (!command.details().isEmpty()) {
        text.append("  ").append(command.synopsis()).append('\n');
        for (String line : command.details()) {
          text.append("      ").append(line).append('\n');
        }
      }
    }
    text.append('\n');

    text.append("Options (before or after the command):\n");
    StatusFormat.appendAligned(text, List.of(
        List.of("  -n, --nodes host:port[,...]",
            "nodes to ask, in order (default " + defaultNodes + ")"),
        List.of("  --timeout MS",
            "how long one attempt waits for an answer (default "
                + defaults.attemptTimeoutMillis() + ")"),
        List.of("  --attempts N",
            "attempts per node before the next node is asked (default "
                + defaults.attemptsPerNode() + ")"),
        List.of("  --json", "print JSON instead of tables"),
        List.of("  -h, --help", "print this text")));
    text.append('\n');

    text.append("Exit codes:\n");
    StatusFormat.appendAligned(text, List.of(
        List.of("  " + ExitCode.OK, "success"),
        List.of("  " + ExitCode.NOT_FOUND,
            "not found or precondition failed (key-value commands, not used yet)"),
        List.of("  " + ExitCode.USAGE, "usage error (unknown command or option, bad argument)"),
        List.of("  " + ExitCode.UNAVAILABLE,
            "unavailable: no node answered, or a deadline passed")));
    text.append('\n');

    text.append("Examples:\n");
    text.append("  kvclient status\n");
    text.append("  kvclient -n 127.0.0.1:7002,127.0.0.1:7003 --json status\n");
    text.append("  kvclient stats\n");
    text.append("  kvclient -n 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003 "
        + "wait-members 3 --within 30000\n");
    return text.toString();
  }
}
