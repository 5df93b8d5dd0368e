package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.LocateRequest;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.ReplicaCheck;
import io.quorumkv.common.wire.ReplicaCommit;
import io.quorumkv.common.wire.ReplicaRead;
import io.quorumkv.common.wire.ReplicaWrite;
import io.quorumkv.node.Counters;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.MemoryStorage;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The load anti-entropy yields to is the key-value requests a node handles: client requests it
 * coordinates and replica requests it answers; not repairs, look-ups, nor requests it refuses
 * while joining. Read through the {@code kv.requests.last-second} gauge.
 */
class KvServiceLoadTest {

  private static final Address SELF = new Address("127.0.0.1", 7001);
  private static final Address FROM = new Address("127.0.0.1", 7002);
  private static final long T = 1_000_000_000_000L;
  private static final Version V = new Version(HybridClock.pack(T, 0), FROM);

  static Stream<Arguments> table() {
    KeyRecord r = new KeyRecord("k", "v", false, V);
    return Stream.of(
        // message, whether the member list is synced, requests counted
        Arguments.of(new KvRequest(KvOp.READ, "k", "", Consistency.ONE, 0), true, 1),
        Arguments.of(new KvRequest(KvOp.READ, "k", "", Consistency.ONE, 0), false, 0),
        Arguments.of(new ReplicaWrite(KvOp.PUT, "k", "v", V, FROM, 1), true, 1),
        Arguments.of(new ReplicaRead("k", FROM, 1), true, 1),
        Arguments.of(new ReplicaCheck(KvOp.CREATE, "k", "v", V, FROM, 1), true, 1),
        Arguments.of(new ReplicaCommit(r, FROM, 1), true, 1),
        Arguments.of(new Handoff(List.of(r), false), true, 0),
        Arguments.of(new LocateRequest("k"), true, 0));
  }

  @ParameterizedTest(name = "{0}, synced {1}: {2}")
  @MethodSource("table")
  void countsTheRequestsItHandles(Message m, boolean synced, int counted) {
    Counters counters = new Counters();
    KvService kv = new KvService(KvConfig.local(), SELF, new MemoryStorage(),
        new Outbox(new Codec(), counters, 65_536), counters, EventSink.NONE, x -> true,
        new SplittableRandom(1), () -> synced, T);
    for (int i = 0; i < 3; i++) {
      kv.onMessage(FROM, Envelope.of(FROM, 10 + i, m), T + i);
    }
    assertEquals(0L, kv.figures(T + 3).get("kv.requests.last-second"), "the window is open");
    assertEquals(3L * counted, kv.figures(T + RequestLoad.WINDOW_MILLIS)
        .get("kv.requests.last-second"));
  }
}
