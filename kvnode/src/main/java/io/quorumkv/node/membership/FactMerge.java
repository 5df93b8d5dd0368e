package io.quorumkv.node.membership;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Gossip;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.node.Counters;
import io.quorumkv.node.net.Outbox;
import java.util.List;

/**
 * Merges facts heard from other members (or concluded by this node) into the member list, and
 * reacts to what changed: a changed fact is queued for dissemination; a new suspicion starts its
 * timer in {@link Suspicions} and is told to the suspect directly; any other change ends the
 * suspicion; a repeated suspicion confirms it; stale bad news is answered with the newer fact we
 * hold. Facts about this node go to {@link Refutation} instead.
 */
final class FactMerge {

  private final Address self;
  private final Outbox outbox;
  private final Counters counters;
  private final MemberList members;
  private final Dissemination dissemination;
  private final Suspicions suspicions;
  private final Refutation refutation;

  FactMerge(Address self, Outbox outbox, Counters counters, MemberList members,
      Dissemination dissemination, Suspicions suspicions, Refutation refutation) {
    this.self = self;
    this.outbox = outbox;
    this.counters = counters;
    this.members = members;
    this.dissemination = dissemination;
    this.suspicions = suspicions;
    this.refutation = refutation;
  }

  /** Merges {@code updates}, in order, as told by {@code sender}. */
  void merge(List<MemberUpdate> updates, Address sender, long nowMillis) {
    for (MemberUpdate update : updates) {
      if (update.address().equals(self)) {
        refutation.refuteIfNeeded(update, sender, nowMillis);
        continue;
      }
      Member before = members.get(update.address());
      if (members.apply(update, nowMillis) == MemberList.Outcome.CHANGED) {
        dissemination.enqueue(update);
        if (update.state() == MemberState.SUSPECT) {
          suspicions.start(update, sender, nowMillis);
          // Lifeguard's buddy system: random gossip may miss the suspect for a whole suspicion
          // timeout, so everyone who learns of a suspicion tells the suspect once, directly.
          outbox.send(update.address(), Envelope.of(self, 0, new Gossip(List.of(update))));
        } else {
          suspicions.cancel(update.address());
        }
        if (update.state() == MemberState.DEAD) {
          counters.increment("swim.dead.learned");
        }
      } else if (before != null && isStaleBadNews(before, update)) {
        // Bad news older than what we know (typically a suspicion the member already refuted)
        // can outlive the refutation's own gossip; answer it by spreading our newer fact again.
        dissemination.enqueue(before.toUpdate());
        counters.increment("swim.stale-news.corrected");
      } else if (update.state() == MemberState.SUSPECT && before != null
          && before.state() == MemberState.SUSPECT
          && before.generation() == update.generation()
          && before.incarnation() == update.incarnation()) {
        suspicions.confirm(update.address(), sender);
      }
    }
  }

  /** Our probe of {@code target} failed: suspect it, if it is alive, as our own fact. */
  void suspect(Address target, long nowMillis) {
    Member m = members.get(target);
    if (m == null || m.state() != MemberState.ALIVE) {
      return;
    }
    counters.increment("swim.suspected");
    merge(List.of(new MemberUpdate(target, m.generation(), m.incarnation(),
        MemberState.SUSPECT)), self, nowMillis);
  }

  /** True when {@code update} is suspect/dead news strictly older than the fact we hold. */
  private static boolean isStaleBadNews(Member held, MemberUpdate update) {
    if (update.state() != MemberState.SUSPECT && update.state() != MemberState.DEAD) {
      return false;
    }
    return held.generation() > update.generation()
        || (held.generation() == update.generation() && held.incarnation() > update.incarnation());
  }
}
