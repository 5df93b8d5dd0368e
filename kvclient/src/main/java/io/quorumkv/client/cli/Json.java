package io.quorumkv.client.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintStream;

/** Builds and prints the JSON that --json asks for: indented, one document per command. */
final class Json {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private static final ObjectMapper COMPACT = JsonMapper.builder().build();

  private Json() {
  }

  /** {@code document} on one line, as the shell prints it. */
  static String compact(JsonNode document) {
    try {
      return COMPACT.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON", e);
    }
  }

  static void print(PrintStream out, JsonNode document) {
    try {
      out.println(MAPPER.writeValueAsString(document));
    } catch (JsonProcessingException e) {
      // A tree of plain nodes always serializes; reaching this is a programming error.
      throw new IllegalStateException("cannot print JSON", e);
    }
  }
}
