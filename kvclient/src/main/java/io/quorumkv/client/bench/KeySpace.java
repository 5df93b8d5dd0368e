package io.quorumkv.client.bench;

/**
 * The keys a benchmark uses: {@code count} keys named {@code key-0000…} with the index zero-padded
 * so that every key has exactly {@code keyBytes} bytes (16 by default, the size redis-benchmark
 * and YCSB-style comparisons assume). Key {@code i} is always the same string, so a preload
 * writes exactly the keys the reads later ask for.
 */
public record KeySpace(long count, int keyBytes) {

  private static final String PREFIX = "key-";

  /** Most keys: far beyond what fits in a local cluster's memory, yet a key name stays short. */
  public static final long MAX_COUNT = 1_000_000_000L;

  public KeySpace {
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("--keys must be 1.." + MAX_COUNT + ", got " + count);
    }
    int digits = Long.toString(count - 1).length();
    if (keyBytes < PREFIX.length() + digits || keyBytes > 200) {
      throw new IllegalArgumentException("--key-size must be " + (PREFIX.length() + digits)
          + "..200 bytes for " + count + " keys, got " + keyBytes);
    }
  }

  /** The name of key {@code index} (0 ≤ index &lt; count). */
  public String key(long index) {
    String number = Long.toString(index);
    StringBuilder out = new StringBuilder(keyBytes).append(PREFIX);
    for (int i = PREFIX.length() + number.length(); i < keyBytes; i++) {
      out.append('0');
    }
    return out.append(number).toString();
  }
}
