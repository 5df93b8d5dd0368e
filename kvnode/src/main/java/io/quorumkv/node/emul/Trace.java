package io.quorumkv.node.emul;

import java.util.ArrayDeque;
import java.util.List;

/**
 * A compact, bounded record of what the emulated network did: one short line per send, delivery,
 * drop, duplicate, crash, restart and node event. It keeps a running 64-bit hash of every line
 * ever added plus the last {@link #capacity()} lines, so two runs can be compared for equality
 * without keeping millions of lines, and a failing run still shows what happened last.
 */
public final class Trace {

  /** Lines kept by default: enough to read the end of a failing run. */
  public static final int DEFAULT_CAPACITY = 2_000;

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final int capacity;
  private final ArrayDeque<String> last;
  private long hash = FNV_OFFSET;
  private long lineCount;

  public Trace(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
    this.last = new ArrayDeque<>(Math.min(capacity, 4096));
  }

  /** Appends one line: it updates the hash and evicts the oldest kept line when full. */
  void add(String line) {
    long h = hash;
    for (int i = 0; i < line.length(); i++) {
      h = (h ^ line.charAt(i)) * FNV_PRIME;
    }
    hash = (h ^ '\n') * FNV_PRIME;
    lineCount++;
    if (last.size() == capacity) {
      last.removeFirst();
    }
    last.addLast(line);
  }

  /** FNV-1a over every line ever added, in order: equal runs have equal hashes. */
  public long hash() {
    return hash;
  }

  /** How many lines were ever added. */
  public long lineCount() {
    return lineCount;
  }

  public int capacity() {
    return capacity;
  }

  /** The most recent lines, oldest first. */
  public List<String> lastLines() {
    return List.copyOf(last);
  }

  /** "lines=N hash=H": enough to tell two runs apart in an assertion message. */
  public String summary() {
    return "lines=" + lineCount + " hash=" + Long.toHexString(hash);
  }
}
