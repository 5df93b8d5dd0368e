package io.quorumkv.client;

/**
 * How patiently a {@link KvClient} waits for nodes.
 *
 * @param attemptTimeoutMillis how long one attempt waits for the answer after sending the request.
 *     On loopback a node answers in well under a millisecond, so the default of 1000 ms only
 *     covers a node busy with garbage collection; lowering it fails over to the next node sooner
 *     at the risk of giving up on a slow but healthy one.
 * @param attemptsPerNode how many times one node is asked (the same request id each time, so a
 *     late answer to an earlier attempt still counts) before the next node of the list is tried.
 *     UDP may lose a datagram; the default of 3 makes a lost request or reply unlikely to look like
 *     a dead node. A node whose port is closed (an ICMP "port unreachable") is not asked again.
 */
public record ClientConfig(long attemptTimeoutMillis, int attemptsPerNode) {

  /** Longest attempt timeout accepted: ten minutes, far beyond any sane wait for one datagram. */
  public static final long MAX_ATTEMPT_TIMEOUT_MILLIS = 600_000;

  /** Most attempts per node accepted, so a typo cannot make the client retry for hours. */
  public static final int MAX_ATTEMPTS_PER_NODE = 100;

  public ClientConfig {
    if (attemptTimeoutMillis < 1 || attemptTimeoutMillis > MAX_ATTEMPT_TIMEOUT_MILLIS) {
      throw new IllegalArgumentException("attempt timeout must be 1.." + MAX_ATTEMPT_TIMEOUT_MILLIS
          + " ms, got " + attemptTimeoutMillis);
    }
    if (attemptsPerNode < 1 || attemptsPerNode > MAX_ATTEMPTS_PER_NODE) {
      throw new IllegalArgumentException("attempts per node must be 1.." + MAX_ATTEMPTS_PER_NODE
          + ", got " + attemptsPerNode);
    }
  }

  /** 1000 ms per attempt, 3 attempts per node. */
  public static ClientConfig defaults() {
    return new ClientConfig(1000, 3);
  }

  /** A copy with another attempt timeout. */
  public ClientConfig withAttemptTimeoutMillis(long millis) {
    return new ClientConfig(millis, attemptsPerNode);
  }

  /** A copy with another number of attempts per node. */
  public ClientConfig withAttemptsPerNode(int attempts) {
    return new ClientConfig(attemptTimeoutMillis, attempts);
  }
}
