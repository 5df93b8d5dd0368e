package io.quorumkv.node.kv;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.Message;
import io.quorumkv.node.Counters;
import io.quorumkv.node.net.Outbox;
import java.util.List;

/**
 * What a coordinator sends to a request's replicas: the request itself (a write to all of them,
 * a read to as many as its consistency needs), resends to those that have not answered, and
 * read repairs. The replica on this node, if it is one, is asked directly, after the remote ones
 * are sent to; its answer goes back to the caller, which takes it as any replica's reply.
 */
final class ReplicaFanout {

  private final Address self;
  private final Replica localReplica;
  private final Outbox outbox;
  private final Counters counters;

  ReplicaFanout(Address self, Replica localReplica, Outbox outbox, Counters counters) {
    this.self = self;
    this.localReplica = localReplica;
    this.outbox = outbox;
    this.counters = counters;
  }

  /**
   * A read asks only the replicas its consistency needs: its own copy if it has one, then remote
   * replicas from a position that turns with the request, so reads spread over the replicas.
   * The retransmit timer asks the rest if the answers are late ({@link #resend}).
   *
   * @return the local replica's answer, or null when this node holds no copy
   */
  Message toEnough(PendingRequest p, Message message, long nowMillis) {
    boolean local = p.replicas.contains(self);
    int remote = p.required - (local ? 1 : 0);
    int n = p.replicas.size();
    int start = (int) (p.txId % n);
    Envelope envelope = Envelope.of(self, p.txId, message); // encoded once for all (Outbox)
    for (int i = 0; i < n && remote > 0; i++) {
      Address replica = p.replicas.get((start + i) % n);
      if (!replica.equals(self)) {
        outbox.send(replica, envelope);
        remote--;
      }
    }
    return local ? localReplica.answer(message, nowMillis) : null;
  }

  /**
   * Sends {@code message} under {@code txId} to every replica of {@code p}, the remote ones
   * first, then asks the local one if this node is one. All are sent even if the local answer
   * settles the request (consistency ONE): a write must reach every replica, and each replica
   * asked logs its outcome.
   *
   * @return the local replica's answer, or null when this node holds no copy
   */
  Message toAll(PendingRequest p, long txId, Message message, long nowMillis) {
    Envelope envelope = Envelope.of(self, txId, message); // encoded once for all (Outbox)
    for (Address replica : p.replicas) {
      if (!replica.equals(self)) {
        outbox.send(replica, envelope);
      }
    }
    return p.replicas.contains(self) ? localReplica.answer(message, nowMillis) : null;
  }

  /** Resends the current phase's message to every remote replica that has not answered it. */
  void resend(PendingRequest p) {
    Message toReplicas = p.committing() ? p.commit() : p.toReplicas();
    Envelope envelope = Envelope.of(self, p.phaseId(), toReplicas);
    for (Address replica : p.replicas) {
      if (!replica.equals(self) && !p.answered(replica)) {
        outbox.send(replica, envelope);
        counters.increment("kv.coordinator.retransmits");
      }
    }
  }

  /** Sends the newest record to every answering replica that holds an older one. */
  void repairStale(PendingRequest p, KeyRecord newest, long nowMillis) {
    if (newest.version().equals(Version.ZERO)) {
      return;
    }
    for (int i = 0; i < p.readAnswers.size(); i++) {
      if (p.readAnswers.answer(i).version().compareTo(newest.version()) < 0) {
        counters.increment("kv.read-repairs");
        push(p.readAnswers.replica(i), newest, nowMillis);
      }
    }
  }

  /** Sends {@code record} to {@code to} to merge silently (last writer wins, no outcome). */
  private void push(Address to, KeyRecord record, long nowMillis) {
    Handoff handoff = new Handoff(List.of(record), false);
    if (to.equals(self)) {
      localReplica.onRepair(handoff, nowMillis);
    } else {
      outbox.send(to, Envelope.of(self, 0, handoff));
    }
  }
}
