package io.quorumkv.client.cli;

import java.util.List;
import java.util.Optional;

/** The table of kvclient commands, in the order help lists them. Add new commands here. */
public final class Commands {

  private static final List<Command> ALL = List.of(
      new StatusCommand(),
      new StatsCommand(),
      new WaitMembersCommand());

  private Commands() {
  }

  public static List<Command> all() {
    return ALL;
  }

  /** The command called {@code name}, if there is one. */
  public static Optional<Command> find(String name) {
    return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
