package io.quorumkv.bench;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Ack;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.Ping;
import io.quorumkv.common.wire.ReplicaRead;
import io.quorumkv.common.wire.ReplicaReadReply;
import io.quorumkv.common.wire.ReplicaWrite;
import io.quorumkv.common.wire.ReplicaWriteReply;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The messages a node sends most, per client request and per probe, with realistic sizes: a
 * 16-byte key, a 100-byte value, loopback addresses with 4-digit and ephemeral ports, a hybrid
 * clock timestamp of today, and three piggybacked gossip updates on each probe. The names are the
 * values of the benchmarks' {@code message} parameter.
 */
public final class HotMessages {

  public static final Address NODE = Address.parse("127.0.0.1:7001");
  public static final Address PEER = Address.parse("127.0.0.1:7002");
  public static final Address CLIENT = Address.parse("127.0.0.1:51234");
  /** 16 bytes of ASCII, as a typical application key. */
  public static final String KEY = "user:00000012345";
  /** 100 bytes of ASCII letters and digits, seeded so every run encodes the same bytes. */
  public static final String VALUE = randomText(100, 42);

  /** Every hot message in its envelope, by name. */
  public static final Map<String, Envelope> ALL = build();

  private HotMessages() {
  }

  /** The envelope named {@code name}; throws for a name not in {@link #ALL}. */
  public static Envelope named(String name) {
    Envelope envelope = ALL.get(name);
    if (envelope == null) {
      throw new IllegalArgumentException("no hot message '" + name + "'; known: " + ALL.keySet());
    }
    return envelope;
  }

  private static Map<String, Envelope> build() {
    long now = HybridClock.pack(1_764_070_000_123L, 3);
    Version version = new Version(now, CLIENT);
    List<MemberUpdate> gossip = List.of(
        new MemberUpdate(Address.parse("127.0.0.1:7003"), 1_764_069_999_000L, 0, MemberState.ALIVE),
        new MemberUpdate(Address.parse("127.0.0.1:7004"), 1_764_069_998_500L, 2,
            MemberState.SUSPECT),
        new MemberUpdate(Address.parse("127.0.0.1:7005"), 1_764_069_997_250L, 1, MemberState.DEAD));
    Map<String, Message> messages = new LinkedHashMap<>();
    messages.put("kv-put", new KvRequest(KvOp.PUT, KEY, VALUE, Consistency.QUORUM, 0, now));
    messages.put("kv-read", new KvRequest(KvOp.READ, KEY, "", Consistency.QUORUM, 0, 0));
    messages.put("kv-reply-value", new KvReply(KvStatus.OK, VALUE, version, ""));
    messages.put("kv-reply-write", new KvReply(KvStatus.OK, "", version, ""));
    messages.put("replica-write", new ReplicaWrite(KvOp.PUT, KEY, VALUE, version, CLIENT, 4711));
    messages.put("replica-write-reply", new ReplicaWriteReply(KvStatus.OK));
    messages.put("replica-read", new ReplicaRead(KEY, CLIENT, 4712));
    messages.put("replica-read-reply",
        new ReplicaReadReply(new KeyRecord(KEY, VALUE, false, version)));
    messages.put("ping", new Ping(PEER, gossip));
    messages.put("ack", new Ack(gossip));
    Map<String, Envelope> envelopes = new LinkedHashMap<>();
    // Request ids of a node that has run for a while: several digits, as on the wire.
    long requestId = 1_234_567;
    for (Map.Entry<String, Message> entry : messages.entrySet()) {
      envelopes.put(entry.getKey(), Envelope.of(NODE, requestId++, entry.getValue()));
    }
    return Collections.unmodifiableMap(envelopes);
  }

  /** {@code length} letters and digits, the same for the same seed. */
  public static String randomText(int length, long seed) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
