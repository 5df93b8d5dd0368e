package io.quorumkv.node.storage;

import java.util.Locale;

/**
 * When a durable engine forces its write-ahead log to the disk. Either way a replica answers a
 * write only after the log record that holds it is synced, so an acknowledged write survives a
 * crash of the process and of the machine; the policies differ only in how many writes share one
 * fsync and who waits for it.
 */
public enum SyncPolicy {

  /**
   * Every write syncs the log before it returns. A write costs one fsync on the loop thread, and
   * everything else the node does (gossip, reads) waits behind it: throughput is bounded by the
   * disk's fsync rate, and latency is the lowest a single write can have.
   */
  ALWAYS,

  /**
   * Group commit: a write goes to the log at once (into the OS's cache, so a killed process loses
   * nothing) and the driver syncs once per loop iteration, covering every write of that iteration
   * (at most {@code MAX_RECEIVES_PER_ITERATION} datagrams). Nothing the node queued in the
   * iteration is sent before that sync, so no acknowledgement, read answer or handoff
   * confirmation can get ahead of the data it speaks of. Under load many writes share one fsync;
   * every datagram sent in an iteration with writes waits for that one fsync.
   */
  GROUP;

  /** The policy named {@code text} ("always" or "group"); IllegalArgumentException otherwise. */
  public static SyncPolicy parse(String text) {
    for (SyncPolicy p : values()) {
      if (p.flagValue().equals(text)) {
        return p;
      }
    }
    throw new IllegalArgumentException("must be always or group, got '" + text + "'");
  }

  /** The name on the command line: "always" or "group". */
  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
