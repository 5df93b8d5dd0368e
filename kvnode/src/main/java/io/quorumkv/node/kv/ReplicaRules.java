package io.quorumkv.node.kv;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;

/**
 * What a replica does with a write, as one pure function (the seed's HashTable semantics, made
 * versioned): create refuses a live key, update and delete refuse a missing one, put always
 * succeeds. An accepted write is stored only if its version beats the held one (last writer wins),
 * so a late or repeated write never undoes a newer one. A write that finds its own earlier self
 * (the same version: a client-stamped write retried through another coordinator, after the
 * first applied it here) succeeds again, which keeps retries idempotent: a retried delete must
 * not answer "not found" because its first attempt deleted the key.
 */
final class ReplicaRules {

  /** The status to answer, and the record to store (null: store nothing). */
  record Decision(KvStatus status, KeyRecord toStore) {
  }

  private ReplicaRules() {
  }

  static Decision apply(KvOp op, KeyRecord held, String value, Version version) {
    KeyRecord written = op == KvOp.DELETE
        ? new KeyRecord(held.key(), "", true, version)
        : new KeyRecord(held.key(), value, false, version);
    if (held.version().equals(version)) {
      return new Decision(KvStatus.OK, null);
    }
    switch (op) {
      case CREATE:
        if (held.isLive()) {
          return new Decision(KvStatus.EXISTS, null);
        }
        break;
      case UPDATE:
      case DELETE:
        if (!held.isLive()) {
          return new Decision(KvStatus.NOT_FOUND, null);
        }
        break;
      case PUT:
        break;
      default:
        throw new IllegalArgumentException("not a write: " + op);
    }
    return new Decision(KvStatus.OK, version.compareTo(held.version()) > 0 ? written : null);
  }
}
