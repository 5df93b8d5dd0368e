package io.quorumkv.node.membership;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.node.Counters;
import io.quorumkv.node.NodeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The running {@link Suspicion} timers, one per suspected member, in address order (so expiry
 * replays deterministically). A timer starts when this node learns a new suspicion, shortens as
 * other members confirm it, ends when the member refutes or is forgotten, and on expiry turns the
 * suspicion into a death, which {@link FactMerge} merges like any other fact.
 */
final class Suspicions {

  private final NodeConfig config;
  private final Counters counters;
  private final MemberList members;
  private final TreeMap<Address, Suspicion> suspicions = new TreeMap<>();

  Suspicions(NodeConfig config, Counters counters, MemberList members) {
    this.config = config;
    this.counters = counters;
    this.members = members;
  }

  /** Starts the timer for a suspicion we just accepted, first reported by {@code reporter}. */
  void start(MemberUpdate update, Address reporter, long nowMillis) {
    int n = members.clusterSize();
    // Lifeguard expects suspicionMult - 2 independent confirmations, fewer in tiny clusters.
    int expected = n - 2 < config.suspicionMult() - 2 ? 0 : config.suspicionMult() - 2;
    suspicions.put(update.address(), new Suspicion(update.incarnation(), nowMillis,
        config.minSuspicionTimeoutMillis(n), config.maxSuspicionTimeoutMillis(n), expected,
        reporter));
  }

  /** {@code sender} repeats a suspicion we already hold: it may shorten the timer. */
  void confirm(Address suspect, Address sender) {
    Suspicion s = suspicions.get(suspect);
    if (s != null && s.confirm(sender)) {
      counters.increment("swim.suspicions.confirmed");
    }
  }

  /** Ends any suspicion of {@code address} (refuted, dead, left or forgotten). */
  void cancel(Address address) {
    suspicions.remove(address);
  }

  /**
   * Ends every suspicion due at {@code nowMillis}, in address order, and hands the death of each
   * member still suspect at the suspected incarnation to {@code merge}, one at a time.
   */
  void expire(long nowMillis, Consumer<MemberUpdate> merge) {
    List<Address> due = new ArrayList<>();
    for (Map.Entry<Address, Suspicion> e : suspicions.entrySet()) {
      if (nowMillis >= e.getValue().deadlineMillis()) {
        due.add(e.getKey());
      }
    }
    for (Address address : due) {
      Suspicion s = suspicions.remove(address);
      Member m = members.get(address);
      if (m != null && m.state() == MemberState.SUSPECT && m.incarnation() == s.incarnation()) {
        counters.increment("swim.declared-dead");
        merge.accept(new MemberUpdate(address, m.generation(), m.incarnation(),
            MemberState.DEAD));
      }
    }
  }

  /** The earliest suspicion deadline, or {@code Long.MAX_VALUE} when nobody is suspected. */
  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (Suspicion s : suspicions.values()) {
      next = Math.min(next, s.deadlineMillis());
    }
    return next;
  }
}
