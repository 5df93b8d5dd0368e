package io.quorumkv.common.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;

/**
 * Turns envelopes into datagrams and back. Decoding never throws: every way a datagram can be
 * wrong becomes a {@link Decoded.Rejected} with a {@link RejectReason}, so a driver can count it
 * and carry on.
 *
 * <p>Decoding is strict on purpose: unknown properties, missing or null fields, strings where
 * numbers belong (and the reverse), and trailing bytes are all rejected. The protocol evolves by
 * version, not by tolerance. Thread-safe; one instance may be shared.
 */
public final class Codec {

  private final ObjectMapper mapper;

  public Codec() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(Limits.MAX_JSON_DEPTH)
            .maxStringLength(Limits.MAX_DATAGRAM_BYTES)
            .maxNumberLength(24)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    JsonMapper built = JsonMapper.builder(factory)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .build();
    // No silent coercions: "5" is not a number, 5 is not a string, 1.5 is not a long.
    built.coercionConfigDefaults()
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    built.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    built.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    built.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
    built.coercionConfigFor(LogicalType.Enum)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    built.coercionConfigFor(LogicalType.POJO)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    this.mapper = built;
  }

  /**
   * Encodes an envelope. Throws {@link OversizedMessageException} when the result would exceed
   * {@link Limits#MAX_DATAGRAM_BYTES}: a caller that builds messages must size them to fit.
   */
  public byte[] encode(Envelope envelope) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      // Our own records always serialize; reaching this is a programming error.
      throw new IllegalStateException("cannot encode " + envelope.message().getClass(), e);
    }
    if (bytes.length > Limits.MAX_DATAGRAM_BYTES) {
      throw new OversizedMessageException(bytes.length);
    }
    return bytes;
  }

  /** Decodes a whole datagram. */
  public Decoded decode(byte[] datagram) {
    return decode(datagram, 0, datagram.length);
  }

  /** Decodes {@code length} bytes of {@code buffer} from {@code offset}; never throws. */
  public Decoded decode(byte[] buffer, int offset, int length) {
    if (length == 0) {
      return new Decoded.Rejected(RejectReason.EMPTY, "empty datagram");
    }
    if (length > Limits.MAX_DATAGRAM_BYTES) {
      return new Decoded.Rejected(RejectReason.OVERSIZED, length + " bytes");
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(buffer, offset, length);
    } catch (StreamConstraintsException e) {
      return new Decoded.Rejected(RejectReason.MALFORMED, "limits: " + firstLine(e));
    } catch (IOException | RuntimeException e) {
      return new Decoded.Rejected(RejectReason.MALFORMED, firstLine(e));
    }
    if (tree == null || !tree.isObject()) {
      return new Decoded.Rejected(RejectReason.MALFORMED, "not a JSON object");
    }
    JsonNode version = tree.get("version");
    if (version == null || !version.isInt()) {
      return new Decoded.Rejected(RejectReason.INVALID_FIELDS, "version missing or not an integer");
    }
    if (version.intValue() != Envelope.CURRENT_VERSION) {
      return new Decoded.Rejected(
          RejectReason.UNSUPPORTED_VERSION, "version " + version.intValue());
    }
    JsonNode message = tree.get("message");
    if (message == null || !message.isObject() || !message.path("type").isTextual()) {
      return new Decoded.Rejected(RejectReason.UNKNOWN_TYPE, "message type missing");
    }
    try {
      Envelope envelope = mapper.treeToValue(tree, Envelope.class);
      if (envelope == null) {
        return new Decoded.Rejected(RejectReason.INVALID_FIELDS, "null envelope");
      }
      return new Decoded.Ok(envelope);
    } catch (InvalidTypeIdException e) {
      return new Decoded.Rejected(RejectReason.UNKNOWN_TYPE, String.valueOf(e.getTypeId()));
    } catch (JsonEOFException e) {
      return new Decoded.Rejected(RejectReason.MALFORMED, firstLine(e));
    } catch (IOException | RuntimeException e) {
      return new Decoded.Rejected(RejectReason.INVALID_FIELDS, firstLine(e));
    }
  }

  private static String firstLine(Throwable e) {
    String text = String.valueOf(e.getMessage());
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
