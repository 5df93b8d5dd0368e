package io.quorumkv.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** --await-start: says it is ready, starts on a line, refuses on end of input or on timeout. */
class StartSignalTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private boolean await(java.io.InputStream in, long maxMillis) {
    return StartSignal.await(in, new PrintStream(out, true, StandardCharsets.UTF_8), maxMillis);
  }

  @Test
  void aLineStartsTheNodeAfterItSaidItIsReady() {
    assertTrue(await(new ByteArrayInputStream("go\n".getBytes(StandardCharsets.UTF_8)), 10_000));
    assertEquals(StartSignal.READY, out.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void theEndOfInputIsNoStart() {
    assertFalse(await(new ByteArrayInputStream(new byte[0]), 10_000));
  }

  @Test
  void noLineWithinTheBoundIsNoStart() throws IOException {
    try (PipedOutputStream silent = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(silent)) {
      assertFalse(await(in, 50));
    }
  }
}
