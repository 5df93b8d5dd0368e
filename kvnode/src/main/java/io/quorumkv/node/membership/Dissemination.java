package io.quorumkv.node.membership;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue of membership updates waiting to be piggybacked (memberlist's TransmitLimitedQueue).
 * Each member has at most one pending update, the newest: a newer fact replaces an older one and
 * starts its transmit count again. Updates least often sent go first (newest first among equals),
 * and each is dropped after the retransmit limit, which scales with log n so that an update reaches
 * every member with high probability.
 */
final class Dissemination {

  private static final class Pending {
    final MemberUpdate update;
    final long sequence;
    int transmits;

    Pending(MemberUpdate update, long sequence) {
      this.update = update;
      this.sequence = sequence;
    }
  }

  private static final Comparator<Pending> SEND_ORDER =
      Comparator.<Pending>comparingInt(p -> p.transmits)
          .thenComparing(Comparator.<Pending>comparingLong(p -> p.sequence).reversed());

  private final Map<Address, Pending> pending = new HashMap<>();
  private long nextSequence;

  /** Queues {@code update}, replacing any pending update about the same member. */
  void enqueue(MemberUpdate update) {
    pending.put(update.address(), new Pending(update, nextSequence++));
  }

  /** Forgets any pending update about {@code address}. */
  void forget(Address address) {
    pending.remove(address);
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  int size() {
    return pending.size();
  }

  /**
   * Takes up to {@code max} updates for one message, counting a transmission for each and dropping
   * those that reached {@code retransmitLimit}.
   */
  List<MemberUpdate> take(int max, int retransmitLimit) {
    if (pending.isEmpty() || max <= 0) {
      return List.of();
    }
    List<Pending> ordered = new ArrayList<>(pending.values());
    ordered.sort(SEND_ORDER);
    List<MemberUpdate> out = new ArrayList<>(Math.min(max, ordered.size()));
    for (Pending p : ordered) {
      if (out.size() == max) {
        break;
      }
      out.add(p.update);
      p.transmits++;
      if (p.transmits >= retransmitLimit) {
        pending.remove(p.update.address());
      }
    }
    return out;
  }
}
