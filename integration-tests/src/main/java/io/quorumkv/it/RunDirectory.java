package io.quorumkv.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a {@link LocalCluster} keeps each node's files under its run directory: a folder
 * {@code node<i>} (1-based) holding the process's output ({@code node.log}), its event log
 * ({@code events.jsonl}) and, for durable nodes, its data directory ({@code data}).
 */
record RunDirectory(Path root) {

  /** Node {@code i}'s folder. */
  Path node(int i) {
    return root.resolve("node" + i);
  }

  /** Node {@code i}'s standard output and error, appended to across restarts. */
  Path log(int i) {
    return node(i).resolve("node.log");
  }

  Path eventLog(int i) {
    return node(i).resolve("events.jsonl");
  }

  Path dataDir(int i) {
    return node(i).resolve("data");
  }

  /** Deletes the process and event logs of nodes 1 to {@code size}, those that exist. */
  void deleteLogs(int size) throws IOException {
    for (int i = 1; i <= size; i++) {
      Files.deleteIfExists(log(i));
      Files.deleteIfExists(eventLog(i));
    }
  }

  /** Deletes the data directories of nodes 1 to {@code size}, those that exist. */
  void deleteDataDirs(int size) throws IOException {
    for (int i = 1; i <= size; i++) {
      deleteTree(dataDir(i));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
