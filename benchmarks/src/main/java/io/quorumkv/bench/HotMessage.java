package io.quorumkv.bench;

import io.quorumkv.common.wire.Envelope;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The benchmarks' {@code message} parameter: one of {@link HotMessages#ALL}, by name. */
@State(Scope.Benchmark)
public class HotMessage {

  @Param({"kv-put", "kv-read", "kv-reply-value", "kv-reply-write", "replica-write",
      "replica-write-reply", "replica-read", "replica-read-reply", "ping", "ack"})
  public String message;

  private Envelope envelope;

  @Setup
  public void setUp() {
    envelope = HotMessages.named(message);
  }

  public Envelope envelope() {
    return envelope;
  }
}
