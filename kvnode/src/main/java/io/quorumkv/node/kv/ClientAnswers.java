package io.quorumkv.node.kv;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.node.Counters;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.net.Outbox;
import java.util.function.LongPredicate;

/**
 * The coordinator's side that faces clients: it answers each request once, remembers the answer
 * so that a client retrying the same request id gets it again without a second execution, and
 * logs the coordinator's one outcome per request. A retry of a request still running is not
 * started again either: its answer comes when the first finishes.
 */
final class ClientAnswers {

  private final Address self;
  private final Outbox outbox;
  private final Counters counters;
  private final Counters.Counter succeeded;
  private final Counters.Counter failed;
  private final EventSink events;
  /**
   * Each recent request's coordinator id (a {@code Long}) while it runs, then its answer (a
   * {@link KvReply}) in the same entry: one memory, so a request costs one lookup as it arrives
   * and none to insert its answer (two memories cost three lookups, each a cache miss in tables
   * of 65,536). Bounded by {@link RecentRequests}: the dedupe capacity and a total weight.
   */
  private final RecentRequests<Object> requests;

  ClientAnswers(Address self, int dedupeCapacity, Outbox outbox, Counters counters,
      EventSink events) {
    this.self = self;
    this.outbox = outbox;
    this.counters = counters;
    this.succeeded = counters.counter("kv.coordinator.success");
    this.failed = counters.counter("kv.coordinator.fail");
    this.events = events;
    this.requests = new RecentRequests<>(dedupeCapacity, seen -> seen instanceof KvReply reply
        ? 2 * (reply.value().length() + reply.reason().length()) : 0);
  }

  /**
   * Whether this request is a repeat, not to be started: one answered before (answered again,
   * the same) or one still running ({@code running} tells by the id it was started under).
   */
  boolean isRepeat(Address client, long requestId, LongPredicate running) {
    Object seen = requests.get(client, requestId);
    if (seen instanceof KvReply previous) {
      counters.increment("kv.coordinator.repeats");
      reply(client, requestId, previous);
      return true;
    }
    if (seen instanceof Long txId && running.test(txId)) {
      counters.increment("kv.coordinator.repeats");
      return true; // the answer will come when the request finishes
    }
    return false;
  }

  /** The request was started under the coordinator's id {@code txId}. */
  void started(Address client, long requestId, long txId) {
    requests.remember(client, requestId, txId);
  }

  /** Answers the client, remembers the answer, and logs the coordinator's one outcome. */
  void finish(Address client, long requestId, KvRequest request, KvReply reply) {
    requests.remember(client, requestId, reply);
    reply(client, requestId, reply);
    boolean ok = reply.status() == KvStatus.OK;
    (ok ? succeeded : failed).increment();
    String value = request.op() == KvOp.READ ? reply.value()
        : request.op().carriesValue() ? request.value() : "";
    events.accept(new NodeEvent.KvOutcome(self, NodeEvent.Role.COORDINATOR, request.op(), ok,
        client, requestId, request.key(), value));
  }

  /**
   * Answers a request that arrived before this node knew its whole member list: unavailable,
   * and neither remembered (a retry once the list arrived is served) nor logged as an outcome
   * (nothing was attempted). A ring built from part of the members names the wrong replicas.
   */
  void refuseWhileJoining(Address client, long requestId) {
    counters.increment("kv.coordinator.joining");
    reply(client, requestId, new KvReply(KvStatus.UNAVAILABLE, "", Version.ZERO, "node " + self
        + " is joining: it has not received the member list yet; try again or another node"));
  }

  private void reply(Address client, long requestId, KvReply reply) {
    outbox.send(client, Envelope.of(self, requestId, reply));
  }
}
