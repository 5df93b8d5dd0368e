package io.quorumkv.node;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
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

  /**
   * "Node {@code subject} is suspected", as logged by {@code observer}: the member turned suspect
   * in the observer's view, at this generation and incarnation, by the observer's own failed probe
   * or by gossip. Logged once per observer and suspicion (a refutation raises the incarnation, so
   * a later suspicion is logged again); no removal by itself, which a {@link Membership} REMOVED
   * records if the suspicion expires.
   */
  record Suspected(Address observer, Address subject, long generation, long incarnation)
      implements NodeEvent {
    public Suspected {
      Objects.requireNonNull(observer, "observer");
      Objects.requireNonNull(subject, "subject");
    }
  }

  /** Which side of a key-value request logged an outcome. */
  enum Role {
    /** The node the client asked, which gathered the replicas' answers. */
    COORDINATOR,
    /** A node that holds the key and applied (or refused) the request. */
    REPLICA
  }

  /**
   * The outcome of one client request as handled by {@code observer} in {@code role}: exactly one
   * per request and role (retransmissions, stabilization and read repair log nothing), so that
   * graders can count exactly (SEED-GRADER.md section 8). {@code value} is the value created,
   * updated or read where the seed logs one, and empty otherwise.
   */
  record KvOutcome(Address observer, Role role, KvOp op, boolean success, Address client,
      long requestId, String key, String value) implements NodeEvent {
    public KvOutcome {
      Objects.requireNonNull(observer, "observer");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }
}
