/**
 * Where keys live: a consistent-hash {@link io.quorumkv.common.ring.HashRing} over the live
 * members, placed by the stable {@link io.quorumkv.common.ring.KeyHash}, with virtual nodes and
 * replica counts from {@link io.quorumkv.common.ring.RingConfig}. Everything here is a pure
 * function of its inputs: every node and client that knows the same members computes the same
 * preference lists.
 */
package io.quorumkv.common.ring;
