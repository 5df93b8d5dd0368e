package io.quorumkv.client.cli;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.common.wire.KvLimits;
import java.util.ArrayList;
import java.util.List;

/** The text of {@code kvclient --help} and of the shell's {@code help}. */
public final class HelpText {

  private HelpText() {
  }

  /** The whole help text, ending with a newline. */
  public static String render(String defaultNodes) {
    ClientConfig defaults = ClientConfig.defaults();
    StringBuilder text = new StringBuilder();
    text.append("Usage: kvclient [-n|--nodes host:port[,host:port...]] [--consistency LEVEL]\n"
        + "                [--timeout MS] [--attempt-timeout MS] [--attempts N] [--json]\n"
        + "                [COMMAND [ARGS]]\n\n");
    text.append("Talks to a QuorumKV cluster over UDP: sends a request to a node and prints its "
        + "answer.\nIf a node does not answer, the next node of --nodes is asked with the same "
        + "request id,\nso a retried write is never applied twice. With no command, runs the "
        + "shell.\n\n");

    text.append("Commands:\n");
    List<List<String>> commands = new ArrayList<>();
    for (Command command : Commands.all()) {
      commands.add(List.of("  " + command.synopsis(), command.summary()));
    }
    commands.add(List.of("  help", "print this text (same as --help)"));
    StatusFormat.appendAligned(text, commands);
    text.append('\n');

    text.append("Key-value commands:\n"
        + "  read prints the value alone (and a newline) on stdout; writes print nothing.\n"
        + "  VALUE '-' reads the value from stdin: all of it, UTF-8, with exactly one trailing\n"
        + "  newline removed. Put '--' before a key or value that starts with '-'.\n"
        + "  Keys are 1.." + KvLimits.MAX_KEY_BYTES + " bytes, values at most "
        + KvLimits.MAX_VALUE_BYTES + " bytes (UTF-8); larger ones exit 2, nothing sent.\n"
        + "  A failure prints its reason on stderr, prefixed 'kvclient: '. --json prints\n"
        + "  {\"status\",\"key\",\"value\",\"version\":{\"timestamp\",\"writer\"},\"reason\"} "
        + "(null where none).\n\n");

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
        List.of("  --consistency LEVEL",
            "one, quorum or all: replicas that must agree (default quorum)"),
        List.of("  --timeout MS", "key-value commands, shell: the coordinator's wait for "
            + "replicas"),
        List.of("", "(0.." + KvLimits.MAX_TIMEOUT_MILLIS + "; default 0 = the node's own, "
            + "1000 or 2000 ms)"),
        List.of("", "status, stats, wait-members, locate: same as --attempt-timeout"),
        List.of("  --attempt-timeout MS", "how long one attempt waits for an answer (default "
            + defaults.attemptTimeoutMillis() + ";"),
        List.of("", "key-value: --timeout, or " + ClientConfig.NODE_DEFAULT_REQUEST_TIMEOUT_MILLIS
            + " if 0, plus " + ClientConfig.KV_ATTEMPT_MARGIN_MILLIS + ")"),
        List.of("  --attempts N",
            "attempts per node before the next node is asked (default "
                + defaults.attemptsPerNode() + ")"),
        List.of("  --json", "print JSON instead of text"),
        List.of("  -h, --help", "print this text")));
    text.append('\n');

    text.append("Exit codes:\n");
    StatusFormat.appendAligned(text, List.of(
        List.of("  " + ExitCode.OK, "success"),
        List.of("  " + ExitCode.NOT_FOUND,
            "not found (read, update, delete) or precondition failed (create of an existing key)"),
        List.of("  " + ExitCode.USAGE, "usage error (unknown command or option, bad argument, "
            + "key or value too large)"),
        List.of("  " + ExitCode.UNAVAILABLE, "unavailable: quorum not reached, node overloaded, "
            + "no node answered,"),
        List.of("", "or a wait-members deadline passed")));
    text.append('\n');

    text.append("Examples:\n");
    text.append("  kvclient put greeting 'hello, world'\n");
    text.append("  kvclient read greeting\n");
    text.append("  kvclient -n 127.0.0.1:7002,127.0.0.1:7003 --consistency all create k v\n");
    text.append("  kvclient put settings - < settings.json\n");
    text.append("  printf 'put a 1\\nget a\\ndelete a\\n' | kvclient shell\n");
    text.append("  kvclient --json locate greeting\n");
    text.append("  kvclient status\n");
    text.append("  kvclient -n 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003 "
        + "wait-members 3 --within 30000\n");
    return text.toString();
  }

  /** The shell's help: its commands and result lines, without a final newline. */
  static String shell() {
    StringBuilder text = new StringBuilder();
    List<List<String>> rows = new ArrayList<>();
    for (Command command : Commands.all()) {
      if (command instanceof KvCommand || command instanceof LocateCommand) {
        rows.add(List.of("  " + command.synopsis(), command.summary()));
      }
    }
    rows.add(List.of("  help", "this text"));
    rows.add(List.of("  quit | exit", "end the session (so does the end of input)"));
    text.append("Commands, one per line:\n");
    StatusFormat.appendAligned(text, rows);
    text.append("Options after a command apply to it alone: --consistency one|quorum|all, "
        + "--timeout MS.\n"
        + "Double-quote values with spaces: put greeting \"hello, world\" "
        + "(escapes \\\" \\\\ \\n \\t \\r \\uXXXX).\n"
        + "One line per command: the value read, OK, (not found), or ERROR: reason.");
    return text.toString();
  }
}
