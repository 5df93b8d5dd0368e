package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import org.junit.jupiter.api.Test;

class KvSmokeTest {

  @Test
  void createReadUpdateDelete() {
    KvCluster c = new KvCluster(1, 5);
    assertEquals(KvStatus.OK, c.call(c.node(1), KvOp.CREATE, "k", "v1").status());
    KvReply read = c.call(c.node(2), KvOp.READ, "k", "");
    assertEquals(KvStatus.OK, read.status());
    assertEquals("v1", read.value());
    assertEquals(3, c.holders("k").size());
    assertEquals(KvStatus.OK, c.call(c.node(3), KvOp.UPDATE, "k", "v2").status());
    assertEquals("v2", c.call(c.node(4), KvOp.READ, "k", "").value());
    assertEquals(KvStatus.OK, c.call(c.node(5), KvOp.DELETE, "k", "").status());
    assertEquals(KvStatus.NOT_FOUND, c.call(c.node(1), KvOp.READ, "k", "").status());
  }
}
