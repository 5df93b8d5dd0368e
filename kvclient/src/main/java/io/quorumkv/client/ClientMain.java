package io.quorumkv.client;

import io.quorumkv.client.cli.Command;
import io.quorumkv.client.cli.CommandException;
import io.quorumkv.client.cli.Commands;
import io.quorumkv.client.cli.ExitCode;
import io.quorumkv.client.cli.HelpText;
import io.quorumkv.client.cli.Invocation;
import io.quorumkv.common.wire.Address;
import java.io.IOException;
import java.io.PrintStream;
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
 * The {@code kvclient} command line: {@code kvclient [global options] COMMAND [args]}. Global
 * options may also follow the command. Prints results on {@code out} and one line per error on
 * {@code err}, never a stack trace, and returns an {@link ExitCode}.
 */
public final class ClientMain {

  /** Node 1 of scripts/cluster.sh. */
  static final String DEFAULT_NODES = "127.0.0.1:7001";

  /** More nodes than any local cluster has; keeps a pasted list from making the client wander. */
  static final int MAX_NODES = 256;

  private ClientMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one kvclient command line and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      return dispatch(args, out);
    } catch (CommandException e) {
      String hint = e.exitCode() == ExitCode.USAGE ? " (see kvclient --help)" : "";
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

  private static int dispatch(String[] args, PrintStream out)
      throws CommandException, KvClientException, IOException {
    // Global options end at the first word that is not an option: the command.
    CommandLine global = parse(globalOptions(), args, true);
    List<String> words = global.getArgList();
    if (global.hasOption("help") || (!words.isEmpty() && words.get(0).equals("help"))) {
      out.print(HelpText.render(DEFAULT_NODES));
      return ExitCode.OK;
    }
    if (words.isEmpty()) {
      throw CommandException.usage("no command given");
    }
    String name = words.get(0);
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
    CommandLine local = parse(commandOptions, words.subList(1, words.size()).toArray(String[]::new),
        false);
    if (local.hasOption("help")) {
      out.print(HelpText.render(DEFAULT_NODES));
      return ExitCode.OK;
    }
    ClientConfig defaults = ClientConfig.defaults();
    String nodesText = value(local, global, "nodes", DEFAULT_NODES);
    long timeout = Invocation.parseLong("--timeout",
        value(local, global, "timeout", Long.toString(defaults.attemptTimeoutMillis())),
        1, ClientConfig.MAX_ATTEMPT_TIMEOUT_MILLIS);
    long attempts = Invocation.parseLong("--attempts",
        value(local, global, "attempts", Integer.toString(defaults.attemptsPerNode())),
        1, ClientConfig.MAX_ATTEMPTS_PER_NODE);
    boolean json = local.hasOption("json") || global.hasOption("json");
    Invocation invocation = new Invocation(local.getArgList(), local, parseNodes(nodesText),
        new ClientConfig(timeout, (int) attempts), json, out);
    return command.run(invocation);
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
            .desc("how long one attempt waits").build())
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
