package io.quorumkv.node.sim;

import java.io.PrintStream;
import java.security.SecureRandom;

/**
 * {@code scripts/simulate.sh --seeds N [--seed S]}: runs N simulation seeds from S (random when
 * omitted), prints a progress line per seed, and for each failing seed its report and the
 * command that replays it. Exit status 0 when every seed kept every guarantee, 1 otherwise, 2 for
 * bad arguments.
 */
public final class SimulateMain {

  static final String USAGE = """
      Usage: simulate.sh [--seeds N] [--seed S]

      Runs deterministic simulations of a 5-node QuorumKV cluster on the emulated network: each
      seed draws a fault schedule (message loss up to 30%, delays that reorder, duplicates,
      symmetric and one-way partitions, crashes and restarts, skewed clocks) and a workload of
      4 clients on 5 keys, then heals, lets the cluster settle, and checks the history against
      the guarantees the README states.

        --seeds N   how many seeds to run (default 1)
        --seed S    the first seed (default: a random one, printed); --seeds 1 --seed S
                    replays seed S exactly
        -h, --help  this text

      Exit status: 0 when every seed kept every guarantee, 1 otherwise, 2 for bad arguments.
      """;

  private SimulateMain() {
  }

  public static void main(String[] args) {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    long seeds = 1;
    Long first = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "-h", "--help" -> {
            out.print(USAGE);
            return 0;
          }
          case "--seeds" -> seeds = Long.parseLong(value(args, ++i, "--seeds"));
          case "--seed" -> first = Long.parseLong(value(args, ++i, "--seed"));
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      if (seeds < 1) {
        throw new IllegalArgumentException("--seeds must be at least 1");
      }
    } catch (NumberFormatException e) {
      err.println("simulate: --seeds and --seed take integers (see --help)");
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("simulate: " + e.getMessage() + " (see --help)");
      return 2;
    }
    long start = first != null ? first : new SecureRandom().nextLong() >>> 16;
    out.println("simulating " + seeds + " seed(s) from " + start);
    int failed = 0;
    long began = System.nanoTime();
    for (long s = start; s < start + seeds; s++) {
      SimulationResult r = Simulation.run(s);
      if (r.ok()) {
        out.println("seed " + s + " ok: " + r.summary());
      } else {
        failed++;
        r.report("scripts/simulate.sh --seeds 1 --seed " + s).forEach(out::println);
      }
      out.flush();
    }
    out.printf("%d of %d seed(s) failed in %.1f s%n", failed, seeds,
        (System.nanoTime() - began) / 1e9);
    return failed == 0 ? 0 : 1;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }
}
