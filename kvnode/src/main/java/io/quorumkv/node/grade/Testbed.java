package io.quorumkv.node.grade;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.emul.TimedEvent;
import java.util.List;

/**
 * The cluster the seed's test drivers run against: the emulated network ({@link EmulatedTestbed})
 * or real processes. Nodes are named by index 0..9; node i's address is
 * {@code nodes().get(i)}. A driver calls it from one thread.
 */
public interface Testbed {

  /** Every node's address, by index. */
  List<Address> nodes();

  /** Starts node {@code index}, which joins through the first nodes. */
  void start(int index);

  /** Crash-stops node {@code index}: it never runs again. */
  void crash(int index);

  boolean isLive(int index);

  /** The key's replicas, primary first, as node {@code asker} sees its ring (findNodes). */
  List<Address> replicasOf(int asker, String key);

  /** Asks node {@code coordinator} to run a client request at quorum. */
  void submit(int coordinator, KvOp op, String key, String value);

  /** Returns once tick {@code tick} has begun. */
  void awaitTick(int tick);

  /** Milliseconds since tick 0 began. */
  long nowMillis();

  /** Every node's events so far, stamped in milliseconds since tick 0. */
  List<TimedEvent> events();

  /** One line per client request answered so far: what it was and what came back. */
  List<String> answers();
}
