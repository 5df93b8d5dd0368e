package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Codec#decode} binds in one pass when it can and falls back to the staged path; the two
 * must never disagree. The fast path's risk is accepting what the staged path refuses, so every
 * sample is sent with its envelope fields in every order (the version last, after a message the
 * stages must not judge first) and with the type last in its message, at the current version,
 * at others, and with versions of the wrong JSON type. The fuzz test holds the same property for
 * its mutations ({@link CodecFuzzTest}).
 */
class CodecFastPathTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  private final Codec codec = new Codec();

  @Test
  void everyFieldOrderAndVersionGetsTheStagedPathsAnswer() throws Exception {
    Map<JsonNode, RejectReason> versions = new LinkedHashMap<>();
    versions.put(IntNode.valueOf(Envelope.CURRENT_VERSION), null);
    versions.put(IntNode.valueOf(0), RejectReason.UNSUPPORTED_VERSION);
    versions.put(IntNode.valueOf(2), RejectReason.UNSUPPORTED_VERSION);
    versions.put(IntNode.valueOf(-1), RejectReason.UNSUPPORTED_VERSION);
    versions.put(LongNode.valueOf(1L << 32 | 1), RejectReason.UNSUPPORTED_VERSION);
    versions.put(DoubleNode.valueOf(1.0), RejectReason.INVALID_FIELDS);
    versions.put(TextNode.valueOf("1"), RejectReason.INVALID_FIELDS);
    int checked = 0;
    // One sample of each type, the first: the larger ones repeat list entries, and the field
    // orders are what matters here.
    Map<Class<?>, Envelope> firsts = new LinkedHashMap<>();
    for (Envelope envelope : WireSamples.envelopes()) {
      firsts.putIfAbsent(envelope.message().getClass(), envelope);
    }
    for (Envelope envelope : firsts.values()) {
      byte[] canonical = codec.encode(envelope);
      ObjectNode tree = (ObjectNode) PLAIN.readTree(canonical);
      for (List<String> order : orders(List.of("version", "sender", "requestId", "message"))) {
        for (Map.Entry<JsonNode, RejectReason> version : versions.entrySet()) {
          for (boolean typeLast : new boolean[] {false, true}) {
            byte[] bytes = PLAIN.writeValueAsBytes(
                rebuilt(tree, order, version.getKey(), typeLast));
            Decoded decoded = codec.decode(bytes);
            assertEquals(codec.decodeInStages(bytes, 0, bytes.length), decoded,
                () -> new String(bytes, StandardCharsets.UTF_8));
            if (version.getValue() == null) {
              assertEquals(new Decoded.Ok(envelope), decoded);
            } else {
              assertInstanceOf(Decoded.Rejected.class, decoded);
              assertEquals(version.getValue(), ((Decoded.Rejected) decoded).reason());
            }
            checked++;
          }
        }
      }
    }
    assertTrue(checked >= 8_000, "checked " + checked);
  }

  /** The envelope {@code tree} with its fields in {@code order}, another version, the type last. */
  private static ObjectNode rebuilt(ObjectNode tree, List<String> order, JsonNode version,
      boolean typeLast) {
    ObjectNode out = PLAIN.createObjectNode();
    for (String field : order) {
      out.set(field, field.equals("version") ? version : tree.get(field));
    }
    if (typeLast) {
      ObjectNode message = ((ObjectNode) tree.get("message")).deepCopy();
      JsonNode type = message.remove("type");
      message.set("type", type);
      out.set("message", message);
    }
    return out;
  }

  /** Every order of {@code fields}. */
  private static List<List<String>> orders(List<String> fields) {
    if (fields.size() <= 1) {
      return List.of(fields);
    }
    List<List<String>> all = new ArrayList<>();
    for (String first : fields) {
      List<String> rest = new ArrayList<>(fields);
      rest.remove(first);
      for (List<String> tail : orders(rest)) {
        List<String> order = new ArrayList<>(List.of(first));
        order.addAll(tail);
        all.add(order);
      }
    }
    return all;
  }
}
