package io.quorumkv.client;

import java.util.Objects;

/**
 * How patiently a {@link KvClient} waits for nodes, and what its key-value requests ask for.
 *
 * @param attemptTimeoutMillis how long one attempt of a request that a node answers by itself
 *     (status, stats, locate) waits for the answer after sending it. On loopback a node answers in
 *     well under a millisecond, so the default of 1000 ms only covers a node busy with garbage
 *     collection; lowering it fails over to the next node sooner at the risk of giving up on a
 *     slow but healthy one.
 * @param attemptsPerNode how many times one node is asked (the same request id each time, so a
 *     late answer to an earlier attempt still counts, and a node that already handled the request
 *     does not apply it again) before the next node of the list is tried. UDP may lose a datagram;
 *     the default of 3 makes a lost request or reply unlikely to look like a dead node. A node
 *     whose port is closed (an ICMP "port unreachable") is not asked again.
 * @param kvAttemptTimeoutMillis how long one attempt of a key-value request waits, or 0 (the
 *     default) to derive it from the request's own timeout: see {@link #attemptTimeoutFor}. A
 *     coordinator answers only when its quorum is reached or its deadline passes, so an attempt
 *     shorter than that deadline gives up on answers still coming.
 * @param kvOptions the consistency and request timeout of key-value requests that name none
 */
public record ClientConfig(long attemptTimeoutMillis, int attemptsPerNode,
    long kvAttemptTimeoutMillis, KvOptions kvOptions) {

  /** Longest attempt timeout accepted: ten minutes, far beyond any sane wait for one datagram. */
  public static final long MAX_ATTEMPT_TIMEOUT_MILLIS = 600_000;

  /** Most attempts per node accepted, so a typo cannot make the client retry for hours. */
  public static final int MAX_ATTEMPTS_PER_NODE = 100;

  /**
   * The longest default request timeout among the node presets (lan: 2000 ms; local: 1000 ms).
   * The client cannot know a node's preset, so when a request leaves the timeout to the node it
   * assumes the longer one.
   */
  public static final long NODE_DEFAULT_REQUEST_TIMEOUT_MILLIS = 2000;

  /**
   * Added to a coordinator's deadline to get the attempt timeout of a key-value request: time
   * for the "unavailable" answer to travel back and for a node pausing for garbage collection.
   */
  public static final long KV_ATTEMPT_MARGIN_MILLIS = 500;

  public ClientConfig {
    if (attemptTimeoutMillis < 1 || attemptTimeoutMillis > MAX_ATTEMPT_TIMEOUT_MILLIS) {
      throw new IllegalArgumentException("attempt timeout must be 1.." + MAX_ATTEMPT_TIMEOUT_MILLIS
          + " ms, got " + attemptTimeoutMillis);
    }
    if (attemptsPerNode < 1 || attemptsPerNode > MAX_ATTEMPTS_PER_NODE) {
      throw new IllegalArgumentException("attempts per node must be 1.." + MAX_ATTEMPTS_PER_NODE
          + ", got " + attemptsPerNode);
    }
    if (kvAttemptTimeoutMillis < 0 || kvAttemptTimeoutMillis > MAX_ATTEMPT_TIMEOUT_MILLIS) {
      throw new IllegalArgumentException("key-value attempt timeout must be 0.."
          + MAX_ATTEMPT_TIMEOUT_MILLIS + " ms (0 = derived), got " + kvAttemptTimeoutMillis);
    }
    Objects.requireNonNull(kvOptions, "kvOptions");
  }

  /** Attempt timeout and attempts per node; key-value requests use the defaults. */
  public ClientConfig(long attemptTimeoutMillis, int attemptsPerNode) {
    this(attemptTimeoutMillis, attemptsPerNode, 0, KvOptions.defaults());
  }

  /** 1000 ms per attempt, 3 attempts per node, derived key-value attempts, QUORUM. */
  public static ClientConfig defaults() {
    return new ClientConfig(1000, 3);
  }

  /**
   * How long one attempt of a key-value request with {@code options} waits: the explicit
   * {@link #kvAttemptTimeoutMillis()} if set, else the request's timeout (or
   * {@link #NODE_DEFAULT_REQUEST_TIMEOUT_MILLIS} when it leaves it to the node) plus
   * {@link #KV_ATTEMPT_MARGIN_MILLIS}.
   */
  public long attemptTimeoutFor(KvOptions options) {
    if (kvAttemptTimeoutMillis > 0) {
      return kvAttemptTimeoutMillis;
    }
    long deadline = options.timeoutMillis() == 0 ? NODE_DEFAULT_REQUEST_TIMEOUT_MILLIS
        : options.timeoutMillis();
    return deadline + KV_ATTEMPT_MARGIN_MILLIS;
  }

  /** A copy with another attempt timeout. */
  public ClientConfig withAttemptTimeoutMillis(long millis) {
    return new ClientConfig(millis, attemptsPerNode, kvAttemptTimeoutMillis, kvOptions);
  }

  /** A copy with another number of attempts per node. */
  public ClientConfig withAttemptsPerNode(int attempts) {
    return new ClientConfig(attemptTimeoutMillis, attempts, kvAttemptTimeoutMillis, kvOptions);
  }

  /** A copy with another key-value attempt timeout (0 = derived). */
  public ClientConfig withKvAttemptTimeoutMillis(long millis) {
    return new ClientConfig(attemptTimeoutMillis, attemptsPerNode, millis, kvOptions);
  }

  /** A copy whose key-value requests default to {@code options}. */
  public ClientConfig withKvOptions(KvOptions options) {
    return new ClientConfig(attemptTimeoutMillis, attemptsPerNode, kvAttemptTimeoutMillis,
        options);
  }
}
