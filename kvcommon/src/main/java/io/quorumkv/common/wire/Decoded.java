package io.quorumkv.common.wire;

import java.util.Objects;

/** The outcome of decoding one datagram: an envelope, or the reason it was rejected. */
public sealed interface Decoded {

  /** A datagram that decoded into a valid envelope of the current version. */
  record Ok(Envelope envelope) implements Decoded {
    public Ok {
      Objects.requireNonNull(envelope, "envelope");
    }
  }

  /** A datagram that was dropped; {@code detail} is a short human-readable cause for debug logs. */
  record Rejected(RejectReason reason, String detail) implements Decoded {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
