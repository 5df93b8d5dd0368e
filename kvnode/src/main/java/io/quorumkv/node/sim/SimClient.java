package io.quorumkv.node.sim;

import io.quorumkv.common.time.ClockDriftException;
import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.node.check.History;
import io.quorumkv.node.emul.EmulatedNetwork;
import io.quorumkv.node.emul.Received;
import java.util.List;
import java.util.function.Supplier;

/**
 * One simulated client on the emulated network, behaving as {@code KvClient} does: one request
 * at a time, each attempt waiting for the coordinator's deadline plus a margin, a few attempts
 * per node under the same request id, then the same request to a second node, and "unknown"
 * when none answered; writes stamped with the client's own hybrid clock. Every operation goes into the {@link History}.
 *
 * <p>States: idle (between operations, a think time), waiting (an operation in flight, a timer
 * for its attempt), stopped (no new operation once {@link #stop} was called; the one in flight
 * still completes).
 */
final class SimClient {

  /** One operation to run: what, on which key, with which value, and through which nodes. */
  record Request(KvOp op, String key, String value, Consistency consistency,
      List<Address> coordinators, long thinkMillis) {
  }

  private final int id;
  private final Address self;
  private final EmulatedNetwork net;
  private final History history;
  private final Supplier<Request> requests;
  private final long attemptTimeoutMillis;
  private final int attemptsPerNode;
  /** Stamps writes and follows the versions it is told of, as KvClient does. */
  private final HybridClock clock = new HybridClock();
  private long timestamp;
  private long nextRequestId = 1;
  private long requestId;
  private int attempt;
  private int historyId = -1;
  private Request current;
  private boolean stopped;
  private int completed;

  /**
   * @param requests the next operation, or null when there is none (the client then stops)
   */
  SimClient(int id, Address self, EmulatedNetwork net, History history,
      Supplier<Request> requests, long attemptTimeoutMillis, int attemptsPerNode) {
    this.id = id;
    this.self = self;
    this.net = net;
    this.history = history;
    this.requests = requests;
    this.attemptTimeoutMillis = attemptTimeoutMillis;
    this.attemptsPerNode = attemptsPerNode;
    net.onReceive(self, this::onReceive);
  }

  /** Begins the first operation now. */
  void start() {
    next();
  }

  /** No new operation after the one in flight. */
  void stop() {
    stopped = true;
  }

  /** True while an operation is in flight. */
  boolean busy() {
    return current != null;
  }

  int completed() {
    return completed;
  }

  private void next() {
    current = stopped ? null : requests.get();
    if (current == null) {
      return;
    }
    Request r = current;
    net.at(net.now() + r.thinkMillis(), () -> {
      requestId = nextRequestId++;
      attempt = 0;
      timestamp = r.op() == KvOp.READ ? 0 : clock.now(net.now());
      historyId = history.invoke(id, r.op(), r.key(), r.value(), r.consistency(),
          r.coordinators().get(0), net.now());
      send();
    });
  }

  private void send() {
    Request r = current;
    Address to = r.coordinators().get(attempt / attemptsPerNode);
    net.send(self, to, Envelope.of(self, requestId,
        new KvRequest(r.op(), r.key(), r.value(), r.consistency(), 0, timestamp)));
    long sentId = requestId;
    int sentAttempt = attempt;
    net.at(net.now() + attemptTimeoutMillis, () -> onTimeout(sentId, sentAttempt));
  }

  private void onTimeout(long forRequest, int forAttempt) {
    if (current == null || forRequest != requestId || forAttempt != attempt) {
      return; // answered meanwhile
    }
    attempt++;
    if (attempt < attemptsPerNode * current.coordinators().size()) {
      send();
    } else {
      history.giveUp(historyId, net.now());
      finish();
    }
  }

  private void onReceive(Received received) {
    Envelope e = received.envelope();
    if (current == null || e.requestId() != requestId || !(e.message() instanceof KvReply reply)
        || historyId < 0) {
      return; // a late answer to an earlier attempt's request, already settled
    }
    history.complete(historyId, reply, net.now(), attempt > 0);
    try {
      clock.observe(reply.version().timestamp(), net.now());
    } catch (ClockDriftException ignored) {
      // a version from a node far ahead: not followed, as KvClient does not
    }
    finish();
  }

  private void finish() {
    completed++;
    historyId = -1;
    requestId = 0;
    next();
  }
}
