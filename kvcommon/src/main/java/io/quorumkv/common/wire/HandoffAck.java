package io.quorumkv.common.wire;

/** The receiver of a {@link Handoff} stored it; the request id names the batch. */
public record HandoffAck() implements Message {
}
