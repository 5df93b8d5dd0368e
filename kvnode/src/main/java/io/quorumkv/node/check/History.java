package io.quorumkv.node.check;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What clients asked of the store and what they were told, in the manner of a Jepsen history:
 * every operation is invoked, then completes with an outcome, or stays pending (a client that
 * gave up). The {@link Checker} judges it. Thread-safe, so that real clients on several threads
 * can record into one history; bounded by {@link #MAX_OPERATIONS}.
 *
 * <p>Values written must be unique per write (the workloads name them after the client and the
 * operation), so that a value read identifies the write that produced it.
 */
public final class History {

  /** Most operations one history records; a workload that asks for more is refused. */
  public static final int MAX_OPERATIONS = 1_000_000;

  /** What an operation's client learned. */
  public enum Outcome {
    /** Done: a write was acknowledged, a read returned a value or "not found". */
    OK,
    /** Definitely not applied: refused before or instead of any change (exists, not found). */
    FAIL,
    /** May or may not have been applied: no answer, or the deadline passed. */
    UNKNOWN
  }

  /**
   * One operation.
   *
   * @param id its index in the history
   * @param client who asked (a workload's client number)
   * @param value the value written ("" for read and delete)
   * @param coordinator the node asked first
   * @param completedMillis when the client learned the outcome; {@link Long#MAX_VALUE} while
   *     pending or when it never did
   * @param status the coordinator's status, null without an answer
   * @param readValue for a read: the value found, "" when not found
   * @param found for a read: whether a live value was found
   * @param version a write's version, or the version a read found (a tombstone's for a deleted
   *     key); {@link Version#ZERO} when unknown or absent
   */
  public record Op(int id, int client, KvOp op, String key, String value, Consistency consistency,
      Address coordinator, long invokedMillis, long completedMillis, Outcome outcome,
      KvStatus status, String readValue, boolean found, Version version) {

    public Op {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(version, "version");
    }

    public boolean isWrite() {
      return op != KvOp.READ;
    }

    /** True for an acknowledged write or a read that returned. */
    public boolean isOk() {
      return outcome == Outcome.OK;
    }

    /** One line for a report: "#12 c3 put k2=c3.7 quorum via 127.0.0.1:7002 [1200..1215] ok v=...". */
    public String describe() {
      String what = op.wireName() + " " + key + (value.isEmpty() ? "" : "=" + value);
      String result = outcome.name().toLowerCase(java.util.Locale.ROOT)
          + (status == null ? "" : " " + status.wireName())
          + (op == KvOp.READ && outcome == Outcome.OK ? " -> " + (found ? readValue : "absent")
              : "")
          + (version.equals(Version.ZERO) ? "" : " v=" + version);
      return "#" + id + " c" + client + " " + what + " " + consistency.wireName() + " via "
          + coordinator + " [" + invokedMillis + ".."
          + (completedMillis == Long.MAX_VALUE ? "?" : String.valueOf(completedMillis)) + "] "
          + result;
    }
  }

  private final List<Op> ops = new ArrayList<>();

  /** Records an invocation at {@code nowMillis}; returns the operation's id. */
  public synchronized int invoke(int client, KvOp op, String key, String value,
      Consistency consistency, Address coordinator, long nowMillis) {
    if (ops.size() >= MAX_OPERATIONS) {
      throw new IllegalStateException("history full: " + MAX_OPERATIONS + " operations");
    }
    int id = ops.size();
    ops.add(new Op(id, client, op, key, value, consistency, coordinator, nowMillis,
        Long.MAX_VALUE, Outcome.UNKNOWN, null, "", false, Version.ZERO));
    return id;
  }

  /** Operation {@code id} was answered at {@code nowMillis} with {@code reply}, at once. */
  public synchronized void complete(int id, KvReply reply, long nowMillis) {
    complete(id, reply, nowMillis, false);
  }

  /**
   * Operation {@code id} was answered at {@code nowMillis} with {@code reply}; {@code retried}
   * when the client had to send it more than once (see {@link #outcomeOf}).
   */
  public synchronized void complete(int id, KvReply reply, long nowMillis, boolean retried) {
    Op o = ops.get(id);
    if (o.completedMillis() != Long.MAX_VALUE) {
      throw new IllegalStateException("operation #" + id + " completed twice");
    }
    ops.set(id, new Op(o.id(), o.client(), o.op(), o.key(), o.value(), o.consistency(),
        o.coordinator(), o.invokedMillis(), nowMillis,
        outcomeOf(o.op(), reply.status(), retried),
        reply.status(), o.op() == KvOp.READ ? reply.value() : "",
        o.op() == KvOp.READ && reply.status() == KvStatus.OK, reply.version()));
  }

  /** Operation {@code id}'s client gave up at {@code nowMillis} without an answer. */
  public synchronized void giveUp(int id, long nowMillis) {
    Op o = ops.get(id);
    ops.set(id, new Op(o.id(), o.client(), o.op(), o.key(), o.value(), o.consistency(),
        o.coordinator(), o.invokedMillis(), Long.MAX_VALUE, Outcome.UNKNOWN, null, "", false,
        Version.ZERO));
  }

  /** Every operation so far, in invocation order. */
  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  public synchronized int size() {
    return ops.size();
  }

  /**
   * What a status tells the client. A refusal (exists, not found, invalid, overloaded) means
   * nothing was stored: conditional writes are checked at the replicas before any is committed.
   * But a conditional write refused after a retry may have been applied by an earlier attempt
   * whose answer was lost, and changed since, so that the retry finds the condition false: its
   * outcome is unknown. "Unavailable" may come after some replica applied the write, so its
   * outcome is unknown too. A read that found nothing still returned.
   */
  static Outcome outcomeOf(KvOp op, KvStatus status, boolean retried) {
    if (status == KvStatus.OK || (op == KvOp.READ && status == KvStatus.NOT_FOUND)) {
      return Outcome.OK;
    }
    if (status == KvStatus.UNAVAILABLE) {
      return op == KvOp.READ ? Outcome.FAIL : Outcome.UNKNOWN;
    }
    if (retried && (status == KvStatus.EXISTS || status == KvStatus.NOT_FOUND)) {
      return Outcome.UNKNOWN;
    }
    return Outcome.FAIL;
  }
}
