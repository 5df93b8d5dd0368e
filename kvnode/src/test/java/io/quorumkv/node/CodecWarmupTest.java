package io.quorumkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorumkv.common.wire.Message;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The warm-up exercises every message type, so no type is left to build on first use. */
class CodecWarmupTest {

  @Test
  void coversEveryMessageTypeAndRoundTripsThemAll() {
    Set<Class<?>> sampled = CodecWarmup.samples().stream()
        .map(Object::getClass).collect(Collectors.toSet());
    Set<Class<?>> all = Arrays.stream(Message.class.getPermittedSubclasses())
        .collect(Collectors.toSet());
    assertEquals(all, sampled);
    assertEquals(all.size(), Node.warmUp());
  }
}
