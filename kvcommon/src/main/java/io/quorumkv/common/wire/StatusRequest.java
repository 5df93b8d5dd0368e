package io.quorumkv.common.wire;

/** Asks a node for its member list and counters; answered by a {@link StatusReply}. */
public record StatusRequest() implements Message {
}
