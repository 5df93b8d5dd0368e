package io.quorumkv.node.kv;

import static io.quorumkv.common.wire.KvOp.CREATE;
import static io.quorumkv.common.wire.KvOp.DELETE;
import static io.quorumkv.common.wire.KvOp.PUT;
import static io.quorumkv.common.wire.KvOp.UPDATE;
import static io.quorumkv.common.wire.KvStatus.EXISTS;
import static io.quorumkv.common.wire.KvStatus.NOT_FOUND;
import static io.quorumkv.common.wire.KvStatus.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a replica answers and stores, by operation and by what it holds. */
class ReplicaRulesTest {

  private static final Address W = new Address("127.0.0.1", 7001);
  private static final Version OLD = new Version(10, W);
  private static final Version NEW = new Version(20, W);
  private static final KeyRecord ABSENT = KeyRecord.absent("k");
  private static final KeyRecord LIVE_OLD = new KeyRecord("k", "old", false, OLD);
  private static final KeyRecord LIVE_NEW = new KeyRecord("k", "newer", false, NEW);
  private static final KeyRecord DELETED_OLD = new KeyRecord("k", "", true, OLD);
  private static final KeyRecord DELETED_NEW = new KeyRecord("k", "", true, NEW);

  static Stream<Arguments> table() {
    KeyRecord putNew = new KeyRecord("k", "v", false, NEW);
    KeyRecord tombNew = new KeyRecord("k", "", true, NEW);
    return Stream.of(
        // held, op, version of the write, status, stored (null: nothing)
        Arguments.of(ABSENT, CREATE, NEW, OK, putNew),
        Arguments.of(DELETED_OLD, CREATE, NEW, OK, putNew),
        Arguments.of(LIVE_OLD, CREATE, NEW, EXISTS, null),
        Arguments.of(LIVE_NEW, CREATE, NEW, OK, null), // our own earlier create: idempotent
        Arguments.of(DELETED_NEW, CREATE, OLD, OK, null), // a newer delete wins: no effect
        Arguments.of(ABSENT, UPDATE, NEW, NOT_FOUND, null),
        Arguments.of(DELETED_OLD, UPDATE, NEW, NOT_FOUND, null),
        Arguments.of(LIVE_OLD, UPDATE, NEW, OK, putNew),
        Arguments.of(LIVE_NEW, UPDATE, OLD, OK, null), // a late update never undoes a newer one
        Arguments.of(ABSENT, DELETE, NEW, NOT_FOUND, null),
        Arguments.of(DELETED_OLD, DELETE, NEW, NOT_FOUND, null),
        Arguments.of(LIVE_OLD, DELETE, NEW, OK, tombNew),
        Arguments.of(LIVE_NEW, DELETE, OLD, OK, null),
        Arguments.of(DELETED_NEW, DELETE, NEW, OK, null), // our own earlier delete: idempotent
        Arguments.of(LIVE_NEW, UPDATE, NEW, OK, null), // our own earlier update: idempotent
        Arguments.of(ABSENT, PUT, NEW, OK, putNew),
        Arguments.of(LIVE_OLD, PUT, NEW, OK, putNew),
        Arguments.of(DELETED_OLD, PUT, NEW, OK, putNew),
        Arguments.of(LIVE_NEW, PUT, OLD, OK, null));
  }

  @ParameterizedTest(name = "{1} on {0} at {2} -> {3}")
  @MethodSource("table")
  void rules(KeyRecord held, KvOp op, Version version, KvStatus status, KeyRecord stored) {
    ReplicaRules.Decision d = ReplicaRules.apply(op, held, op == DELETE ? "" : "v", version);
    assertEquals(status, d.status());
    assertEquals(stored, d.toStore());
  }
}
