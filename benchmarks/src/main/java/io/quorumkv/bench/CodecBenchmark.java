package io.quorumkv.bench;

import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.Envelope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Codec#encode} and {@link Codec#decode} of each hot message in its envelope: what a node
 * pays per datagram sent and received, all checks included.
 */
@State(Scope.Benchmark)
public class CodecBenchmark extends ShortRun {

  private final Codec codec = new Codec();
  private Envelope envelope;
  private byte[] datagram;

  @Setup
  public void setUp(HotMessage hot) {
    envelope = hot.envelope();
    datagram = codec.encode(envelope);
    // A benchmark of the rejection path by mistake would look fast and mean nothing.
    Decoded decoded = codec.decode(datagram);
    if (!decoded.equals(new Decoded.Ok(envelope))) {
      throw new IllegalStateException(hot.message + " does not round-trip: " + decoded);
    }
  }

  @Benchmark
  public byte[] encode() {
    return codec.encode(envelope);
  }

  @Benchmark
  public Decoded decode() {
    return codec.decode(datagram);
  }
}
