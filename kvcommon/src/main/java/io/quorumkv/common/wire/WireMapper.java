package io.quorumkv.common.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.TSFBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The Jackson configuration of the wire protocol: read limits on the parser and strict binding
 * on the mapper. {@link Codec} uses {@link #json()}; the generic methods exist so that the
 * benchmarks can put another Jackson data format (Smile, CBOR) under exactly the same rules, and
 * compare formats rather than configurations.
 */
public final class WireMapper {

  private WireMapper() {
  }

  /** The JSON mapper of the wire. */
  public static JsonMapper json() {
    return strict(JsonMapper.builder(limited(new JsonFactoryBuilder())));
  }

  /**
   * The factory {@code builder} makes, limited to what a datagram may hold: nesting at most
   * {@link Limits#MAX_JSON_DEPTH} deep, no string longer than a datagram, numbers of at most 24
   * characters, and duplicate keys refused by the parser itself.
   */
  public static <F extends JsonFactory, B extends TSFBuilder<F, B>> F limited(B builder) {
    return builder
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(Limits.MAX_JSON_DEPTH)
            .maxStringLength(Limits.MAX_DATAGRAM_BYTES)
            // A long holds 19 digits and a sign; longer numbers cannot be valid anyway.
            .maxNumberLength(24)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  /**
   * The mapper {@code builder} makes, binding strictly: unknown properties, missing or null
   * fields and trailing tokens fail, and so does every coercion between JSON types.
   */
  public static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M strict(B builder) {
    return builder
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        // No silent coercions: "5" is not a number, 5 is not a string, 1.5 is not a long, 1 is
        // not true. Every input shape fails by default; each logical type then accepts its own.
        .withCoercionConfigDefaults(c -> c
            .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
        .withCoercionConfig(LogicalType.Textual,
            c -> c.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
        .withCoercionConfig(LogicalType.Integer,
            c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert))
        .withCoercionConfig(LogicalType.Boolean,
            c -> c.setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert))
        .withCoercionConfig(LogicalType.Enum,
            c -> c.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
        // Address is a value class written as the string "host:port".
        .withCoercionConfig(LogicalType.POJO,
            c -> c.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
        .build();
  }
}
