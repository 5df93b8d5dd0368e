package io.quorumkv.node;

import io.quorumkv.common.wire.Address;
import java.util.Objects;

/**
 * Something a node records in its event log for scripts and graders to count (see
 * SEED-GRADER.md section 8). Events carry no time: the sink stamps them with its own clock
 * (wall-clock milliseconds in a real process, simulated milliseconds in the emulator).
 */
public sealed interface NodeEvent {

  /** The node that observed and logged the event. */
  Address observer();

  /** What happened to a member, as seen by {@code observer}. */
  enum MembershipChange {
    /** The member became part of the observer's view (first sight, rejoin, or a new generation). */
    JOINED,
    /** The member left the observer's view (declared dead, or left gracefully). */
    REMOVED
  }

  /** "Node {@code subject} joined / was removed", as logged by {@code observer}. */
  record Membership(
      Address observer, MembershipChange change, Address subject, long generation, long incarnation)
      implements NodeEvent {
    public Membership {
      Objects.requireNonNull(observer, "observer");
      Objects.requireNonNull(change, "change");
      Objects.requireNonNull(subject, "subject");
    }
  }
}
