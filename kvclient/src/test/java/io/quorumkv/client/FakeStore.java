package io.quorumkv.client;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.LocateReply;
import io.quorumkv.common.wire.LocateRequest;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.StatusReply;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fake coordinator answers: the key-value semantics of a healthy cluster over one map
 * (create fails where the key exists; read, update and delete where it does not), versions
 * counting up from 1, and a fixed replica list for locate. Thread-safe, since the fake node's
 * thread answers while the test reads.
 */
final class FakeStore {

  private final List<Address> replicas;
  private final Map<String, String> values = new HashMap<>();
  private final Map<String, Version> versions = new HashMap<>();
  private long clock;

  FakeStore(List<Address> replicas) {
    this.replicas = List.copyOf(replicas);
  }

  synchronized Message answer(Address self, Message request) {
    if (request instanceof LocateRequest locate) {
      return new LocateReply(locate.key(), replicas);
    }
    if (!(request instanceof KvRequest kv)) {
      return new StatusReply(self, List.of(), false, Map.of());
    }
    String key = kv.key();
    boolean exists = values.containsKey(key);
    switch (kv.op()) {
      case READ:
        return exists ? new KvReply(KvStatus.OK, values.get(key), versions.get(key), "")
            : notFound(key);
      case CREATE:
        return exists ? new KvReply(KvStatus.EXISTS, "", Version.ZERO,
            "key '" + key + "' already exists") : write(self, key, kv.value());
      case UPDATE:
        return exists ? write(self, key, kv.value()) : notFound(key);
      case PUT:
        return write(self, key, kv.value());
      case DELETE:
        if (!exists) {
          return notFound(key);
        }
        values.remove(key);
        return new KvReply(KvStatus.OK, "", new Version(++clock, self), "");
      default:
        throw new IllegalStateException(kv.op().name());
    }
  }

  synchronized Map<String, String> values() {
    return Map.copyOf(values);
  }

  private KvReply write(Address self, String key, String value) {
    Version version = new Version(++clock, self);
    values.put(key, value);
    versions.put(key, version);
    return new KvReply(KvStatus.OK, "", version, "");
  }

  private static KvReply notFound(String key) {
    return new KvReply(KvStatus.NOT_FOUND, "", Version.ZERO, "key '" + key + "' not found");
  }
}
