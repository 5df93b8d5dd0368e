package io.quorumkv.client.cli;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.client.KvClient;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import org.apache.commons.cli.CommandLine;

/**
 * Everything a command needs from the command line: its positional arguments, its own parsed
 * options, the global settings, and where to read and print.
 *
 * @param args the words after the command name that are not options
 * @param options the parsed options (global ones and the command's own)
 * @param nodes the nodes given with --nodes, in order
 * @param config attempt timeouts, attempts per node, consistency and request timeout
 * @param json whether --json was given
 * @param in standard input: a value given as "-", or the shell's commands
 * @param interactive whether a person types at a terminal (the shell then shows a prompt)
 * @param out where results go (errors are thrown, not printed)
 */
public record Invocation(
    List<String> args, CommandLine options, List<Address> nodes, ClientConfig config,
    boolean json, InputStream in, boolean interactive, PrintStream out) {

  public Invocation {
    args = List.copyOf(args);
    nodes = List.copyOf(nodes);
  }

  /** A client for {@link #nodes()} with {@link #config()}; the caller closes it. */
  public KvClient openClient() throws IOException {
    return KvClient.open(nodes, config);
  }

  /** Fails with a usage error unless exactly {@code count} positional arguments were given. */
  public void expectArgs(int count, String synopsis) throws CommandException {
    if (args.size() != count) {
      throw CommandException.usage("expected " + synopsis + ", got "
          + (args.isEmpty() ? "no arguments" : "'" + String.join(" ", args) + "'"));
    }
  }

  /** The value of a numeric option in {@code min..max}, or {@code fallback} when it is absent. */
  public long longOption(String name, long fallback, long min, long max) throws CommandException {
    String text = options.getOptionValue(name);
    return text == null ? fallback : parseLong("--" + name, text, min, max);
  }

  /** Parses "one", "quorum" or "all" (in any case). */
  public static Consistency parseConsistency(String text) throws CommandException {
    try {
      return Consistency.fromWire(text.trim());
    } catch (IllegalArgumentException e) {
      throw CommandException.usage("--consistency: " + e.getMessage());
    }
  }

  /** Parses {@code text} as a whole number in {@code min..max}, naming {@code what} on error. */
  public static long parseLong(String what, String text, long min, long max)
      throws CommandException {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw CommandException.usage(what + " must be a whole number, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw CommandException.usage(what + " must be in " + min + ".." + max + ", got " + value);
    }
    return value;
  }
}
