package io.quorumkv.node.emul;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import java.util.Objects;

/** A datagram that reached an emulated client: when, from which address, and what it said. */
public record Received(long timeMillis, Address from, Envelope envelope) {

  public Received {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(envelope, "envelope");
  }
}
