package io.quorumkv.client;

import io.quorumkv.client.cli.Command;
import io.quorumkv.client.cli.CommandException;
import io.quorumkv.client.cli.Commands;
import io.quorumkv.client.cli.ExitCode;
import io.quorumkv.client.cli.HelpText;
import io.quorumkv.client.cli.Invocation;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvLimits;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The {@code kvclient} command line: {@code kvclient [global options] [COMMAND [args]]}. Global
 * options may also follow the command; no command runs the shell. Prints results on {@code out}
 * and one line per error on {@code err}, never a stack trace, and returns an {@link ExitCode}.
 */
public final class ClientMain {

  /** Node 1 of scripts/cluster.sh. */
  static final String DEFAULT_NODES = "127.0.0.1:7001";

  /** More nodes than any local cluster has; keeps a pasted list from making the client wander. */
  static final int MAX_NODES = 256;

  private ClientMain() {
  }

  public static void main(String[] args) {
    // UTF-8 whatever the locale: values are UTF-8 strings, and Java 17 would otherwise print
    // them in the platform charset (ASCII under LANG=C), turning other characters into '?'.
    PrintStream out = new PrintStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)), false,
        StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    System.exit(run(args, System.in, out, err, System.console() != null));
  }

  /** Runs one kvclient command line, with no standard input, and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, InputStream.nullInputStream(), out, err, false);
  }

  /**
   * Runs one kvclient command line and returns its exit code.
   *
   * @param in standard input: a value given as "-", or the shell's commands
   * @param interactive whether a person types at a terminal (the shell then shows a prompt)
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err,
      boolean interactive) {
    try {
      return dispatch(args, in, out, interactive);
    } catch (CommandException e) {
      String hint = e.helpHint() ? " (see kvclient --help)" : "";
      err.println("kvclient: " + e.getMessage() + hint);
      return e.exitCode();
    } catch (KvClientException e) {
      err.println("kvclient: " + e.getMessage());
      return ExitCode.UNAVAILABLE;
    } catch (IOException e) {
      err.println("kvclient: network error: " + e.getMessage());
      return ExitCode.UNAVAILABLE;
    } catch (RuntimeException e) {
      err.println("kvclient: internal error: " + e);
      return ExitCode.UNAVAILABLE;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static int dispatch(String[] args, InputStream in, PrintStream out, boolean interactive)
      throws CommandException, KvClientException, IOException {
    // Global options end at the first word that is not an option: the command.
    CommandLine global = parse(globalOptions(), args, true);
    List<String> words = global.getArgList();
    if (global.hasOption("help") || (!words.isEmpty() && words.get(0).equals("help"))) {
      out.print(HelpText.render(DEFAULT_NODES));
      return ExitCode.OK;
    }
    // No command at all runs the shell, so that "kvclient < commands.txt" just works.
    String name = words.isEmpty() ? "shell" : words.get(0);
    if (name.startsWith("-")) {
      throw CommandException.usage("unknown option '" + name + "'");
    }
    Optional<Command> found = Commands.find(name);
    if (found.isEmpty()) {
      throw CommandException.usage("unknown command '" + name + "'");
    }
    Command command = found.get();
    Options commandOptions = globalOptions();
    command.options().getOptions().forEach(commandOptions::addOption);
    String[] rest = words.isEmpty() ? new String[0]
        : words.subList(1, words.size()).toArray(String[]::new);
    CommandLine local = parse(commandOptions, rest, false);
    if (local.hasOption("help")) {
      out.print(HelpText.render(DEFAULT_NODES));
      return ExitCode.OK;
    }
    String nodesText = value(local, global, "nodes", DEFAULT_NODES);
    boolean json = local.hasOption("json") || global.hasOption("json");
    Invocation invocation = new Invocation(local.getArgList(), local, parseNodes(nodesText),
        config(command, local, global), json, in, interactive, out);
    return command.run(invocation);
  }

  /**
   * The client settings of this command line. --timeout means two things, kept apart here: for
   * commands that send key-value requests it is the request timeout the coordinator honours (and
   * the attempt timeout follows from it); for the others, as in earlier versions, it is how long
   * one attempt waits. --attempt-timeout always sets the attempt timeout and wins over both.
   */
  private static ClientConfig config(Command command, CommandLine local, CommandLine global)
      throws CommandException {
    ClientConfig defaults = ClientConfig.defaults();
    long attempts = Invocation.parseLong("--attempts",
        value(local, global, "attempts", Integer.toString(defaults.attemptsPerNode())),
        1, ClientConfig.MAX_ATTEMPTS_PER_NODE);
    String attemptText = value(local, global, "attempt-timeout", null);
    long explicitAttempt = attemptText == null ? 0 : Invocation.parseLong("--attempt-timeout",
        attemptText, 1, ClientConfig.MAX_ATTEMPT_TIMEOUT_MILLIS);
    Consistency consistency = Invocation.parseConsistency(
        value(local, global, "consistency", Consistency.QUORUM.wireName()));
    KvOptions kv = KvOptions.defaults().withConsistency(consistency);
    long attemptTimeout = defaults.attemptTimeoutMillis();
    String timeoutText = value(local, global, "timeout", null);
    if (timeoutText != null && command.sendsKvRequests()) {
      kv = kv.withTimeoutMillis(
          Invocation.parseLong("--timeout", timeoutText, 0, KvLimits.MAX_TIMEOUT_MILLIS));
    } else if (timeoutText != null) {
      attemptTimeout = Invocation.parseLong("--timeout", timeoutText, 1,
          ClientConfig.MAX_ATTEMPT_TIMEOUT_MILLIS);
    }
    if (explicitAttempt > 0) {
      attemptTimeout = explicitAttempt;
    }
    return new ClientConfig(attemptTimeout, (int) attempts, explicitAttempt, kv);
  }

  /** Parses "host:port[,host:port...]", keeping the order and dropping repeats. */
  static List<Address> parseNodes(String text) throws CommandException {
    Set<Address> nodes = new LinkedHashSet<>();
    for (String part : text.split(",", -1)) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        throw CommandException.usage("--nodes has an empty entry in '" + text + "'");
      }
      try {
        nodes.add(Address.parse(trimmed));
      } catch (IllegalArgumentException e) {
        throw CommandException.usage("--nodes: " + e.getMessage());
      }
      if (nodes.size() > MAX_NODES) {
        throw CommandException.usage("--nodes lists more than " + MAX_NODES + " nodes");
      }
    }
    return new ArrayList<>(nodes);
  }

  private static Options globalOptions() {
    return new Options()
        .addOption(Option.builder("n").longOpt("nodes").hasArg().argName("host:port[,...]")
            .desc("nodes to ask, in order").build())
        .addOption(Option.builder().longOpt("timeout").hasArg().argName("MS")
            .desc("request timeout (key-value) or attempt timeout (others)").build())
        .addOption(Option.builder().longOpt("attempt-timeout").hasArg().argName("MS")
            .desc("how long one attempt waits").build())
        .addOption(Option.builder().longOpt("consistency").hasArg().argName("LEVEL")
            .desc("one, quorum or all").build())
        .addOption(Option.builder().longOpt("attempts").hasArg().argName("N")
            .desc("attempts per node").build())
        .addOption(Option.builder().longOpt("json").desc("print JSON").build())
        .addOption(Option.builder("h").longOpt("help").desc("print help").build());
  }

  private static CommandLine parse(Options options, String[] args, boolean stopAtCommand)
      throws CommandException {
    try {
      return DefaultParser.builder().build().parse(options, args, stopAtCommand);
    } catch (ParseException e) {
      throw CommandException.usage(e.getMessage());
    }
  }

  /** The option's value after the command if given there, else before it, else the default. */
  private static String value(CommandLine local, CommandLine global, String option,
      String fallback) {
    String after = local.getOptionValue(option);
    return after != null ? after : global.getOptionValue(option, fallback);
  }
}
