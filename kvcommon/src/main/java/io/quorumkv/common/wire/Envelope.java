package io.quorumkv.common.wire;

import java.util.Objects;

/**
 * What every datagram carries: the protocol version, the sender's address (its identity in the
 * cluster, or a client's own socket address), a request id that pairs answers with requests
 * (probe sequence numbers, client request ids), and the message.
 */
public record Envelope(int version, Address sender, long requestId, Message message) {

  /** The protocol version this build speaks; datagrams of any other version are dropped. */
  public static final int CURRENT_VERSION = 1;

  public Envelope {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(message, "message");
    if (requestId < 0) {
      throw new IllegalArgumentException("requestId must be >= 0");
    }
  }

  /** An envelope of the current version. */
  public static Envelope of(Address sender, long requestId, Message message) {
    return new Envelope(CURRENT_VERSION, sender, requestId, message);
  }
}
