package io.quorumkv.bench;

import io.quorumkv.common.wire.Envelope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Jackson JSON against Smile and CBOR on the hot messages: plain binding through a prepared
 * reader and writer, without the codec's own checks (UTF-8 validation, version first, reasons),
 * so a binary format's figure here is the least a binary codec could cost. Compare with
 * {@link CodecBenchmark} for what the JSON codec pays in all; {@code scripts/jmh.sh --sizes}
 * prints the bytes.
 */
@State(Scope.Benchmark)
public class FormatBenchmark extends ShortRun {

  @Param({"JSON", "SMILE", "CBOR"})
  public WireFormat format;

  private Envelope envelope;
  private byte[] bytes;

  @Setup
  public void setUp(HotMessage hot) {
    envelope = hot.envelope();
    bytes = format.encodeChecked(envelope);
  }

  @Benchmark
  public byte[] encode() {
    return format.encode(envelope);
  }

  @Benchmark
  public Envelope decode() {
    return format.decode(bytes);
  }
}
