package io.quorumkv.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.WireMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Jackson data formats compared: JSON, the wire's, and two binary ones, each under the wire's
 * own limits and strict binding ({@link WireMapper}), so that only the format differs. Smile keeps
 * its defaults: a 4-byte header, which its parser requires, and back-references to repeated
 * property names.
 */
public enum WireFormat {
  JSON(WireMapper.json()),
  SMILE(WireMapper.strict(SmileMapper.builder(WireMapper.limited(SmileFactory.builder())))),
  CBOR(WireMapper.strict(CBORMapper.builder(WireMapper.limited(CBORFactory.builder()))));

  private final ObjectWriter writer;
  private final ObjectReader reader;

  WireFormat(ObjectMapper mapper) {
    // Prepared once: looking the (de)serializer up per call would be measured too.
    this.writer = mapper.writerFor(Envelope.class);
    this.reader = mapper.readerFor(Envelope.class);
  }

  public byte[] encode(Envelope envelope) {
    try {
      return writer.writeValueAsBytes(envelope);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Envelope decode(byte[] bytes) {
    try {
      return reader.readValue(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The envelope in this format, after checking that it decodes back to itself. */
  public byte[] encodeChecked(Envelope envelope) {
    byte[] bytes = encode(envelope);
    if (!decode(bytes).equals(envelope)) {
      throw new IllegalStateException(this + " does not round-trip " + envelope);
    }
    return bytes;
  }
}
