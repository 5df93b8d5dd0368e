package io.quorumkv.node.grade;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.emul.EmulatedNetwork;
import io.quorumkv.node.emul.Received;
import io.quorumkv.node.emul.TimedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key-value test driver's cluster on the emulated network: the 10 nodes of
 * {@link MembershipScenario#addresses()} with the local preset, joining through the first three,
 * datagrams delayed 1-5 ms (well inside a 100 ms tick, so a message sent in one tick is handled
 * in the same or the next, as on the original's EmulNet) and never lost, as in the original's KV
 * runs. The driver is a client on 127.0.0.1:9000 whose requests go through the network like any
 * other datagram. Simulated time is the tick clock: tick t begins at t * 100 ms.
 */
public final class EmulatedTestbed implements Testbed {

  /** The driver's address: not a node, so the network keeps what nodes send it. */
  static final Address DRIVER = new Address("127.0.0.1", 9000);

  private final EmulatedNetwork net;
  private final List<Address> nodes = MembershipScenario.addresses();
  private final List<Address> seeds = nodes.subList(0, MembershipScenario.SEED_NODES);
  private final Map<Long, String> asked = new TreeMap<>();
  private final List<String> answers = new ArrayList<>();
  private long nextRequestId = 1;

  public EmulatedTestbed(long seed) {
    this(seed, NodeConfig.local());
  }

  public EmulatedTestbed(long seed, NodeConfig config) {
    net = new EmulatedNetwork(seed, config);
    net.faults().setDelay(MembershipScenario.MIN_DELAY_MILLIS,
        MembershipScenario.MAX_DELAY_MILLIS);
  }

  /** The network, for its trace and counters. */
  public EmulatedNetwork network() {
    return net;
  }

  @Override
  public List<Address> nodes() {
    return nodes;
  }

  @Override
  public void start(int index) {
    net.addNode(nodes.get(index), seeds);
  }

  @Override
  public void crash(int index) {
    net.crash(nodes.get(index));
  }

  @Override
  public boolean isLive(int index) {
    return net.node(nodes.get(index)).isPresent();
  }

  @Override
  public List<Address> replicasOf(int asker, String key) {
    return net.node(nodes.get(asker)).orElseThrow().replicasOf(key);
  }

  @Override
  public void submit(int coordinator, KvOp op, String key, String value) {
    long id = nextRequestId++;
    asked.put(id, "#" + id + " tick " + net.now() / KvScenario.TICK_MILLIS + " " + op.wireName()
        + " " + key + " via " + nodes.get(coordinator));
    net.send(DRIVER, nodes.get(coordinator), Envelope.of(DRIVER, id,
        new KvRequest(op, key, value, Consistency.QUORUM, 0)));
  }

  @Override
  public void awaitTick(int tick) {
    net.runUntil(tick * KvScenario.TICK_MILLIS);
    collectAnswers();
  }

  @Override
  public long nowMillis() {
    return net.now();
  }

  @Override
  public List<TimedEvent> events() {
    return net.events();
  }

  @Override
  public List<String> answers() {
    collectAnswers();
    List<String> out = new ArrayList<>(answers);
    asked.values().forEach(a -> out.add(a + " -> no answer"));
    return out;
  }

  private void collectAnswers() {
    for (Received r : net.drainReceived(DRIVER)) {
      String request = asked.remove(r.envelope().requestId());
      if (request != null && r.envelope().message() instanceof KvReply reply) {
        answers.add(request + " -> " + reply.status()
            + (reply.reason().isEmpty() ? "" : " (" + reply.reason() + ")"));
      }
    }
  }
}
