package io.quorumkv.client.bench;

import io.quorumkv.common.wire.Consistency;
import java.util.Objects;

/**
 * What one {@code kvclient bench} run does. Defaults (see {@code BenchCommand}) follow
 * redis-benchmark where it has an equivalent, so that the two compare like for like.
 *
 * @param mix the operations and their weights
 * @param keys the key names and how many
 * @param keyChooser which key each request uses (uniform or zipfian)
 * @param valueBytes bytes of each put's value (ASCII, so bytes = characters)
 * @param inFlight requests outstanding at once over the one socket (1 = one at a time)
 * @param consistency how many replicas each request waits for
 * @param timeoutMillis the request timeout the coordinators honour; 0 = the node's default
 * @param attempts sends of one request before it counts as a timeout (same request id each time,
 *     to the next node of its route, so a coordinator never applies it twice)
 * @param durationMillis how long the measured phase issues requests; 0 when {@link #requests}
 *     bounds it instead
 * @param requests how many requests the measured phase issues; 0 when {@link #durationMillis}
 *     bounds it instead
 * @param ratePerSecond requests started per second at most (0 = as fast as replies allow);
 *     with a rate, latency counts from when a request was due, not when it left, so a stalled
 *     store is not hidden by the client waiting for it (coordinated omission)
 * @param route which node coordinates each request: key, spread or first ({@link Router})
 * @param preload whether every key is written once (put) before the measured phase
 * @param warmupMillis how long the measured phase's mix runs first, unmeasured (after the
 *     preload): the nodes' and this client's JIT compilers are still at work for the first tens of
 *     seconds of a fresh JVM, so a short cold run measures compilation more than the store
 * @param coalesce whether the requests issued together leave in one datagram per node (a
 *     {@code Bundle}, as nodes send each other), rather than one datagram each
 * @param seed the seed of the run's random choices (ops, keys, routes)
 */
public record BenchSpec(OpMix mix, KeySpace keys, KeyChooser keyChooser, int valueBytes,
    int inFlight, Consistency consistency, long timeoutMillis, int attempts, long durationMillis,
    long requests, long ratePerSecond, String route, boolean preload, long warmupMillis,
    boolean coalesce, long seed) {

  /** Most requests in flight; the loop keeps them in an array indexed by request id. */
  public static final int MAX_IN_FLIGHT = 1024;

  public BenchSpec {
    Objects.requireNonNull(mix, "mix");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(keyChooser, "keyChooser");
    Objects.requireNonNull(consistency, "consistency");
    Objects.requireNonNull(route, "route");
    if (inFlight < 1 || inFlight > MAX_IN_FLIGHT) {
      throw new IllegalArgumentException("--in-flight must be 1.." + MAX_IN_FLIGHT);
    }
    if ((durationMillis > 0) == (requests > 0)) {
      throw new IllegalArgumentException("give either --duration or --requests");
    }
    if (!Router.NAMES.contains(route)) {
      throw new IllegalArgumentException("--route must be key, spread or first, got '" + route
          + "'");
    }
    if (warmupMillis < 0) {
      throw new IllegalArgumentException("--warmup must be >= 0");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("--attempts must be >= 1");
    }
  }
}
