package io.quorumkv.client.cli;

import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.client.KvOptions;
import io.quorumkv.client.KvResult;
import io.quorumkv.client.cli.ShellWords.Word;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvLimits;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.LocateReply;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The kvclient shell: reads commands line by line and prints exactly one result line for each,
 * so a script can drive many operations through one JVM and one socket, pairing its n-th command
 * with the n-th line of output. Blank lines and lines starting with "#" are skipped without
 * output; {@code help} prints several lines; {@code quit}, {@code exit} or the end of input end
 * the session. A failing command prints "ERROR: reason" and the shell goes on.
 *
 * <p>A line is a command with its arguments in {@link ShellWords} syntax, optionally with
 * {@code --consistency LEVEL} and {@code --timeout MS} for that command alone. The value "-" is an
 * ordinary value here: standard input carries the commands.
 */
final class Shell {

  /** Shown before each line when a person types at a terminal. */
  static final String PROMPT = "qkv> ";

  private final KvClient client;
  private final KvOptions defaults;
  private final ShellInput in;
  private final PrintStream out;
  private final boolean prompt;
  private final boolean json;

  Shell(KvClient client, KvOptions defaults, ShellInput in, PrintStream out, boolean prompt,
      boolean json) {
    this.client = client;
    this.defaults = defaults;
    this.in = in;
    this.out = out;
    this.prompt = prompt;
    this.json = json;
  }

  /** Runs until quit or the end of input; throws only when standard input cannot be read. */
  void run() throws CommandException {
    while (true) {
      if (prompt) {
        out.print(PROMPT);
      }
      out.flush();
      String line;
      try {
        line = in.readLine();
      } catch (IOException e) {
        throw new CommandException(ExitCode.USAGE, "cannot read standard input: "
            + e.getMessage());
      }
      if (line == null) {
        if (prompt) {
          out.println();
        }
        return;
      }
      if (in.lastLineTooLong()) {
        out.println(error("line longer than " + ShellInput.MAX_LINE_CHARS + " characters"));
        continue;
      }
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.equals("quit") || trimmed.equals("exit")) {
        return;
      }
      out.println(execute(line));
    }
  }

  /** The result line (or, for help, lines) of one command line. */
  private String execute(String line) {
    try {
      List<Word> words = ShellWords.split(line);
      String name = words.get(0).text();
      if (name.equals("help")) {
        return HelpText.shell();
      }
      Command command = Commands.find(name)
          .filter(c -> c instanceof KvCommand || c instanceof LocateCommand)
          .orElseThrow(() -> CommandException.usage("unknown command '" + name + "' (try help)"));
      KvOptions options = defaults;
      List<String> args = new ArrayList<>();
      boolean optionsEnded = false;
      for (int i = 1; i < words.size(); i++) {
        Word word = words.get(i);
        if (word.quoted() || optionsEnded || !word.text().startsWith("--")) {
          args.add(word.text());
        } else if (word.text().equals("--")) {
          optionsEnded = true;
        } else {
          String value = ++i < words.size() ? words.get(i).text() : null;
          options = option(options, word.text(), value);
        }
      }
      return command instanceof KvCommand kv ? kvLine(kv, args, options) : locateLine(args);
    } catch (CommandException | KvClientException e) {
      return error(e.getMessage());
    }
  }

  private String kvLine(KvCommand command, List<String> args, KvOptions options)
      throws CommandException, KvClientException {
    KvOp op = command.op();
    expectArgs(command, args, op.carriesValue() ? 2 : 1);
    String key = args.get(0);
    KvResult result = client.execute(op, key, op.carriesValue() ? args.get(1) : "", options);
    return json ? Json.compact(KvFormat.json(op, key, result))
        : KvFormat.shellLine(op, key, result);
  }

  private String locateLine(List<String> args) throws CommandException, KvClientException {
    expectArgs(new LocateCommand(), args, 1);
    String problem = KvLimits.problemWith(args.get(0), "");
    if (problem != null) {
      throw new CommandException(ExitCode.USAGE, problem);
    }
    LocateReply reply = client.locate(args.get(0));
    if (json) {
      return Json.compact(KvFormat.json(reply.replicas()));
    }
    return reply.replicas().stream().map(Object::toString).collect(Collectors.joining(" "));
  }

  private static KvOptions option(KvOptions options, String name, String value)
      throws CommandException {
    if (!name.equals("--consistency") && !name.equals("--timeout")) {
      throw CommandException.usage("unknown option '" + name + "' (the shell takes "
          + "--consistency and --timeout)");
    }
    if (value == null) {
      throw CommandException.usage(name + " needs a value");
    }
    if (name.equals("--timeout")) {
      return options.withTimeoutMillis(
          Invocation.parseLong("--timeout", value, 0, KvLimits.MAX_TIMEOUT_MILLIS));
    }
    return options.withConsistency(Invocation.parseConsistency(value));
  }

  private static void expectArgs(Command command, List<String> args, int count)
      throws CommandException {
    if (args.size() != count) {
      throw CommandException.usage("expected " + command.synopsis() + ", got "
          + (args.isEmpty() ? "no arguments" : args.size() + " arguments"));
    }
  }

  private String error(String reason) {
    return json ? Json.compact(KvFormat.jsonError(reason))
        : KvFormat.ERROR_PREFIX + ShellWords.escapeControls(reason);
  }
}
