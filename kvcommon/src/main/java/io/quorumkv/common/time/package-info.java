/**
 * Time for versions: a {@link io.quorumkv.common.time.HybridClock} that stamps writes, and the
 * {@link io.quorumkv.common.time.Version} that orders them.
 *
 * <h2>What concurrent writers get</h2>
 *
 * <p>The store resolves conflicts by <b>last writer wins</b> on {@code Version}: of two writes to
 * one key, the one with the higher HLC timestamp survives, and if the timestamps are equal the
 * one whose writer (coordinator) address is higher. Every replica applies the same rule, so once
 * both writes have reached a replica, through the write itself, read repair or stabilization,
 * all replicas hold the same winner. The losing write is silently overwritten: it was acknowledged
 * to its client, and it is gone. There is no merge, no sibling values, no error.
 *
 * <p>A delete is a write of a tombstone with its own version and follows the same rule: a delete
 * and a concurrent put are decided by their versions like two puts, so a put can win over a
 * delete that reached the client first, and the other way round.
 *
 * <p>Causality is kept when the writers saw each other: versions travel in the KV messages, and
 * a node passes every timestamp it receives to
 * {@link io.quorumkv.common.time.HybridClock#observe}, which moves its clock past it. A write
 * coordinated after its coordinator has seen an earlier write (it replicated it, a read returned
 * it, or any chain of messages carried a later timestamp) gets a larger timestamp and wins,
 * whatever the wall clocks say. Only writes whose
 * coordinators never observed each other are ordered by the wall clocks, and there clock skew
 * matters: a write made later in real time on a node whose clock is slow loses to an earlier
 * write from a node whose clock is fast, by up to the skew between them. The skew that can enter
 * the cluster is bounded: a node refuses timestamps more than
 * {@link io.quorumkv.common.time.HybridClock#DEFAULT_MAX_DRIFT_MILLIS maxDriftMillis} (one minute
 * by default) ahead of its own wall clock.
 *
 * <p>Clients that need read-modify-write on one key must not rely on it: two clients that both
 * read version v and both write get one winner and one silently lost update.
 */
package io.quorumkv.common.time;
