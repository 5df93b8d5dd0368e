package io.quorumkv.node.kv;

/**
 * Whether another orphan sweep can find anything, so that a store nobody changes in ways that
 * make orphans is not walked every {@link io.quorumkv.node.KvConfig#orphanSweepMillis()}. A walk
 * looks for two things, and each has a cause this records as it happens:
 *
 * <ul>
 *   <li><b>orphans</b>, keys held here but not owned. A key becomes one when the ring changes
 *       under it, or arrives owned by someone else already (from a coordinator, a holder or an
 *       anti-entropy peer whose ring differed from ours), or stays behind when a transfer gives up;
 *       each of these makes the next walk {@link #doubt() due}. A walk that found orphans is
 *       doubted too: their transfers may give up, and only another walk can tell.
 *   <li><b>tombstones past their grace</b>: the earliest tombstone seen, by its physical time,
 *       from the walk that saw every stored tombstone and from every tombstone stored since.
 * </ul>
 *
 * A node starts in doubt (a store opened from disk may hold anything), and so does a walk that
 * was cancelled before its end. Measured on a 3-node cluster under bench load at 100,000 keys, a
 * sweep every 5 s walked continuously and took about a tenth of each node's loop.
 */
final class SweepNeed {

  private boolean doubt = true;
  private long earliestTombstoneMillis = Long.MAX_VALUE;

  /** Something may have made an orphan: the next period walks. */
  void doubt() {
    doubt = true;
  }

  /** A tombstone of physical time {@code physicalMillis} was stored, or kept by a walk. */
  void tombstone(long physicalMillis) {
    earliestTombstoneMillis = Math.min(earliestTombstoneMillis, physicalMillis);
  }

  /**
   * A walk begins: what it will see need not be remembered, and what changes meanwhile is still
   * recorded (a key stored behind its cursor is seen here and not by the walk).
   */
  void walkStarted() {
    doubt = false;
    earliestTombstoneMillis = Long.MAX_VALUE;
  }

  /** True when a walk may find an orphan, or a tombstone written before {@code purgeBefore}. */
  boolean due(long purgeBefore) {
    return doubt || earliestTombstoneMillis < purgeBefore;
  }
}
