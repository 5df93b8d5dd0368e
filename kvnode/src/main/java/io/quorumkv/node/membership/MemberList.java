package io.quorumkv.node.membership;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.node.Counters;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.NodeEvent.MembershipChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This node's view of the cluster, itself included, in address order (so iteration replays
 * deterministically). It applies facts with {@link Precedence}, records a JOINED event whenever a
 * member enters the view (first sight, a refuted death, a new generation), a REMOVED event
 * whenever one leaves it (declared dead, left) and a SUSPECTED event whenever one turns suspect
 * (which leaves it in the view), and forgets dead entries after a retention period.
 *
 * <p>Invariants: the entry for self is always present and in the cluster unless this node is
 * leaving; the list never holds more than {@code maxMembers} entries.
 */
final class MemberList {

  /** What applying a fact did. */
  enum Outcome { IGNORED, CHANGED }

  private final Address self;
  private final int maxMembers;
  private final EventSink events;
  private final Counters counters;
  private final TreeMap<Address, Member> members = new TreeMap<>();
  /**
   * When a datagram from each member last arrived (-1 until one does), one cell per entry of
   * {@link #members}: every datagram, a client's too, is looked up here, and a hash map of
   * mutable cells is cheaper than the sorted map's address comparisons and a boxed put (about
   * 5% of a loaded loop).
   */
  private final Map<Address, long[]> lastHeardMillis = new HashMap<>();
  /** Bumped on every JOINED or REMOVED: the set of members in the cluster changed. */
  private long viewVersion;

  MemberList(Member selfEntry, int maxMembers, EventSink events, Counters counters) {
    this.self = selfEntry.address();
    this.maxMembers = maxMembers;
    this.events = events;
    this.counters = counters;
    members.put(self, selfEntry);
    lastHeardMillis.put(self, new long[] {-1});
    record(MembershipChange.JOINED, selfEntry);
  }

  Member self() {
    return members.get(self);
  }

  /** Replaces this node's own entry (incarnation bump, leave); emits no event. */
  void updateSelf(long incarnation, MemberState state, long nowMillis) {
    Member old = self();
    members.put(self, new Member(self, old.generation(), incarnation, state, nowMillis));
  }

  Member get(Address address) {
    return members.get(address);
  }

  /**
   * Applies a fact about another member. Unknown members that are dead or left are not added:
   * there is nothing to remove and nothing to probe.
   */
  Outcome apply(MemberUpdate update, long nowMillis) {
    Address address = update.address();
    if (address.equals(self)) {
      throw new IllegalArgumentException("facts about self are handled by the protocol: " + update);
    }
    Member current = members.get(address);
    if (!Precedence.overrides(current, update)) {
      return Outcome.IGNORED;
    }
    if (current == null) {
      if (!update.state().isInCluster()) {
        return Outcome.IGNORED;
      }
      if (members.size() >= maxMembers) {
        counters.increment("swim.members.full");
        return Outcome.IGNORED;
      }
    }
    Member next = new Member(address, update.generation(), update.incarnation(), update.state(),
        current != null && current.state() == update.state()
            && current.generation() == update.generation() ? current.changedAtMillis() : nowMillis);
    members.put(address, next);
    if (current == null) {
      lastHeardMillis.put(address, new long[] {-1});
    }
    boolean wasIn = current != null && current.inCluster();
    boolean newLife = current != null && current.generation() != next.generation();
    if (wasIn && (newLife || !next.inCluster())) {
      record(MembershipChange.REMOVED, current);
    }
    if (next.inCluster() && (!wasIn || newLife)) {
      record(MembershipChange.JOINED, next);
    }
    if (next.state() == MemberState.SUSPECT) {
      // A fact that changed the entry to suspect is a new suspicion: the entry was not suspect,
      // or suspect at an older incarnation or life (Precedence ignores a repeated one).
      events.accept(new NodeEvent.Suspected(self, address, next.generation(), next.incarnation()));
    }
    return Outcome.CHANGED;
  }

  /** Notes that a datagram from {@code address} arrived. Only known members are tracked. */
  void heardFrom(Address address, long nowMillis) {
    long[] heard = lastHeardMillis.get(address);
    if (heard != null) {
      heard[0] = nowMillis;
    }
  }

  /** When a datagram from {@code address} last arrived, or -1 if never. */
  long lastHeardMillis(Address address) {
    long[] heard = lastHeardMillis.get(address);
    return heard == null ? -1 : heard[0];
  }

  /** All entries, self included, in address order. */
  List<Member> all() {
    return new ArrayList<>(members.values());
  }

  /** Other members in the cluster (alive or suspect), in address order. */
  List<Member> othersInCluster() {
    List<Member> out = new ArrayList<>();
    for (Member m : members.values()) {
      if (m.inCluster() && !m.address().equals(self)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Other members declared dead (not left), in address order. */
  List<Member> dead() {
    List<Member> out = new ArrayList<>();
    for (Member m : members.values()) {
      if (m.state() == MemberState.DEAD) {
        out.add(m);
      }
    }
    return out;
  }

  /** Members in the cluster, self included (the n of SWIM's formulas). */
  int clusterSize() {
    int n = 0;
    for (Member m : members.values()) {
      if (m.inCluster()) {
        n++;
      }
    }
    return Math.max(1, n);
  }

  /** Forgets dead and left members whose state is older than {@code retentionMillis}. */
  List<Address> forgetExpired(long nowMillis, long retentionMillis) {
    List<Address> forgotten = new ArrayList<>();
    members.values().removeIf(m -> {
      boolean expired = !m.inCluster() && !m.address().equals(self)
          && nowMillis - m.changedAtMillis() > retentionMillis;
      if (expired) {
        forgotten.add(m.address());
      }
      return expired;
    });
    for (Address a : forgotten) {
      lastHeardMillis.remove(a);
    }
    return forgotten;
  }

  /** Changes whenever a member enters or leaves the cluster (alive/suspect), or changes life. */
  long viewVersion() {
    return viewVersion;
  }

  private void record(MembershipChange change, Member member) {
    viewVersion++;
    counters.increment(change == MembershipChange.JOINED ? "swim.joined" : "swim.removed");
    events.accept(new NodeEvent.Membership(
        self, change, member.address(), member.generation(), member.incarnation()));
  }
}
