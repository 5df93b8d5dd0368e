package io.quorumkv.node.kv;

/** Counts of one stabilization round, for its closing log line. */
final class RoundStats {
  boolean open;
  long planned;
  long keysSent;
  long batches;
  long dropped;
  long gaveUp;

  void reset() {
    planned = 0;
    keysSent = 0;
    batches = 0;
    dropped = 0;
    gaveUp = 0;
  }
}
