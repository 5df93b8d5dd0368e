package io.quorumkv.client.cli;

import io.quorumkv.common.wire.KvOp;
import java.util.List;
import java.util.Optional;

/** The table of kvclient commands, in the order help lists them. Add new commands here. */
public final class Commands {

  private static final List<Command> ALL = List.of(
      new KvCommand(KvOp.CREATE),
      new KvCommand(KvOp.READ),
      new KvCommand(KvOp.UPDATE),
      new KvCommand(KvOp.DELETE),
      new KvCommand(KvOp.PUT),
      new LocateCommand(),
      new ShellCommand(),
      new StatusCommand(),
      new StatsCommand(),
      new WaitMembersCommand(),
      new BenchCommand());

  private Commands() {
  }

  public static List<Command> all() {
    return ALL;
  }

  /** The command called {@code name} (or with {@code name} as an alias), if there is one. */
  public static Optional<Command> find(String name) {
    return ALL.stream().filter(c -> c.name().equals(name) || c.aliases().contains(name))
        .findFirst();
  }
}
