package io.quorumkv.node.storage;

import io.quorumkv.common.wire.KeyRecord;

/**
 * The one conflict rule between two records of a key: the higher version wins, whether it holds
 * a value or a tombstone. Versions are totally ordered (hybrid-clock timestamp, then writer), so
 * every replica that sees the same two records keeps the same one.
 */
public final class LastWriterWins {

  private LastWriterWins() {
  }

  /** True when {@code incoming} should replace {@code held}. */
  public static boolean wins(KeyRecord incoming, KeyRecord held) {
    return incoming.version().compareTo(held.version()) > 0;
  }

  /**
   * Stores {@code incoming} if it beats what {@code storage} holds; returns true if it did.
   */
  public static boolean merge(Storage storage, KeyRecord incoming) {
    if (wins(incoming, storage.get(incoming.key()))) {
      storage.put(incoming);
      return true;
    }
    return false;
  }
}
