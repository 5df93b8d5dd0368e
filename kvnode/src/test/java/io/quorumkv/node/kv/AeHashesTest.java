package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quorumkv.common.wire.Address;
import org.junit.jupiter.api.Test;

class AeHashesTest {

  @Test
  void addressHashEqualsTheHashOfItsText() {
    for (String text : new String[] {"127.0.0.1:7001", "localhost:0", "127.0.0.1:9",
        "node-7.example.org:65535", "10.0.0.1:10", "10.0.0.1:100"}) {
      Address a = Address.parse(text);
      assertEquals(AeHashes.fnv(text), AeHashes.fnv(a), text);
    }
    assertNotEquals(AeHashes.fnv(Address.parse("127.0.0.1:7001")),
        AeHashes.fnv(Address.parse("127.0.0.1:7002")));
  }
}
