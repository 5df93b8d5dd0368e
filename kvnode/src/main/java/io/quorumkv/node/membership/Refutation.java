package io.quorumkv.node.membership;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Gossip;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.node.Counters;
import io.quorumkv.node.net.Outbox;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * How this node answers facts about itself, which never enter the member list from outside: a
 * claim that we are suspect, dead or left in this life is denied by gossiping "alive" at a higher
 * incarnation (only we raise our incarnation), told to the accuser at once and to everyone else by
 * gossip. Being suspected also raises our {@link Awareness} score, since it suggests we were slow.
 */
final class Refutation {

  private final Address self;
  private final long generation;
  private final BooleanSupplier leaving;
  private final Outbox outbox;
  private final Counters counters;
  private final MemberList members;
  private final Dissemination dissemination;
  private final Awareness awareness;

  Refutation(Address self, long generation, BooleanSupplier leaving, Outbox outbox,
      Counters counters, MemberList members, Dissemination dissemination, Awareness awareness) {
    this.self = self;
    this.generation = generation;
    this.leaving = leaving;
    this.outbox = outbox;
    this.counters = counters;
    this.members = members;
    this.dissemination = dissemination;
    this.awareness = awareness;
  }

  /** Someone says we are suspect, dead or left in this life: deny it at a higher incarnation. */
  void refuteIfNeeded(MemberUpdate update, Address accuser, long nowMillis) {
    Member me = members.self();
    if (update.generation() != generation) {
      if (update.generation() > generation) {
        // Another process claims our address with a newer life; we cannot win, only report it.
        counters.increment("swim.self.newer-generation-seen");
      }
      return;
    }
    if (leaving.getAsBoolean() || update.state() == MemberState.ALIVE) {
      return;
    }
    if (update.incarnation() < me.incarnation()) {
      // Already refuted, but the old suspicion still travels: repeat our answer.
      dissemination.enqueue(me.toUpdate());
    } else {
      members.updateSelf(update.incarnation() + 1, MemberState.ALIVE, nowMillis);
      dissemination.enqueue(members.self().toUpdate());
      // Being suspected suggests we were slow to answer: probe more patiently for a while.
      awareness.apply(1);
      counters.increment("swim.refutations");
    }
    // The accuser hears the answer at once; gossip carries it to everyone else.
    outbox.send(accuser,
        Envelope.of(self, 0, new Gossip(List.of(members.self().toUpdate()))));
  }
}
