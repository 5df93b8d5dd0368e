package io.quorumkv.it;

import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The command lines of this module's tools ({@code grade.sh}, {@code chaos.sh}), parsed one way:
 * {@code -h}/{@code --help} prints the usage (exit 0); an unknown option, a missing value or a
 * stray argument is one line on standard error, "TOOL: what (see --help)" (exit 2). Also the two
 * paths both tools take, which their scripts default to the repository's through system
 * properties.
 *
 * @param line the parsed command line, or null when the tool is done
 * @param exitStatus when {@code line} is null, the status to exit with
 */
public record ToolArgs(CommandLine line, int exitStatus) {

  /** Exit status for bad arguments, for every tool of the module. */
  public static final int USAGE_ERROR = 2;

  /**
   * Parses {@code args} against {@code options} (a help option is added); prints the help or
   * the refusal itself.
   */
  public static ToolArgs parse(String tool, String usage, Options options, String[] args,
      PrintStream out, PrintStream err) {
    options.addOption(Option.builder("h").longOpt("help").build());
    CommandLine line;
    try {
      line = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options, args);
    } catch (ParseException e) {
      err.println(tool + ": " + e.getMessage() + " (see --help)");
      return new ToolArgs(null, USAGE_ERROR);
    }
    if (line.hasOption("help")) {
      out.print(usage);
      return new ToolArgs(null, 0);
    }
    if (!line.getArgList().isEmpty()) {
      err.println(tool + ": unexpected argument '" + line.getArgList().get(0) + "' (see --help)");
      return new ToolArgs(null, USAGE_ERROR);
    }
    return new ToolArgs(line, 0);
  }

  /** False when the tool is done: help printed, or arguments refused. */
  public boolean parsed() {
    return line != null;
  }

  /** {@code --kvnode-jar}, else the {@code qkv.kvnode.jar} property, else the relative default. */
  public Path kvnodeJar() {
    return Path.of(line.getOptionValue("kvnode-jar",
        System.getProperty("qkv.kvnode.jar", "kvnode/target/kvnode.jar")));
  }

  /** {@code --run-dir}, else the {@code qkv.run.dir} property, else {@code fallback}. */
  public Path runDir(String fallback) {
    return Path.of(line.getOptionValue("run-dir", System.getProperty("qkv.run.dir", fallback)));
  }

  /** Adds the {@code --kvnode-jar P} and {@code --run-dir D} options to {@code options}. */
  public static Options withPaths(Options options) {
    options.addOption(Option.builder().longOpt("kvnode-jar").hasArg().build());
    options.addOption(Option.builder().longOpt("run-dir").hasArg().build());
    return options;
  }
}
