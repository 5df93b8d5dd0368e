package io.quorumkv.common.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns envelopes into datagrams and back. Decoding never throws: every way a datagram can be
 * wrong becomes a {@link Decoded.Rejected} with a {@link RejectReason}, so a driver can count it
 * and carry on.
 *
 * <p>A datagram is checked in stages, and the first stage that fails names the reason:
 * <ol>
 *   <li>bytes: none at all ({@code EMPTY}), more than {@link Limits#MAX_DATAGRAM_BYTES}
 *       ({@code OVERSIZED}), or not strict UTF-8 ({@code MALFORMED}; see {@link StrictUtf8});
 *   <li>syntax: one JSON object and nothing after it, no duplicate keys, nested at most
 *       {@link Limits#MAX_JSON_DEPTH} deep ({@code MALFORMED});
 *   <li>version: an integer {@code version} ({@code INVALID_FIELDS}) equal to
 *       {@link Envelope#CURRENT_VERSION} ({@code UNSUPPORTED_VERSION}); checked before anything
 *       else in the object because another version may shape its messages differently;
 *   <li>type: a {@code message} object ({@code INVALID_FIELDS}) whose {@code type} is one of the
 *       wire names listed on {@link Message} ({@code UNKNOWN_TYPE});
 *   <li>fields: binding to the records, whose constructors validate their values
 *       ({@code INVALID_FIELDS}).
 * </ol>
 *
 * <p>Three paths give these answers. The messages of client requests, almost all of a loaded
 * node's traffic, are written and read by hand ({@link HotEncoder}, {@link HotDecoder}) in the
 * one form Jackson writes them, with plain ASCII strings only; anything else goes to Jackson.
 * Of the rest, almost every datagram is valid too, so the fast path binds the bytes to the
 * records in one pass, with the same parser limits and binding rules; it accepts a datagram
 * only when that succeeds and the version is the current one. A success there means the
 * bytes passed every stage: binding reads every token, under the same syntax rules, and resolves
 * the type among the same names. Anything else goes down the staged path, which parses a tree,
 * judges the stages in order and binds the tree, so a bad datagram is named by its first failing
 * stage whatever the order of its fields (a version after the message, for example). Rejecting
 * thus costs both paths; a peer can make a node do that work only by sending the bytes.
 *
 * <p>Binding is strict on purpose: unknown properties, missing or null fields, strings where
 * numbers belong (and the reverse), floats where integers belong and numbers where booleans belong
 * are all rejected ({@link WireMapper}). The protocol evolves by version, not by tolerance.
 * Thread-safe; one instance may be shared.
 */
public final class Codec {

  /** Longest {@link Decoded.Rejected#detail()}: details go to debug logs, not to storage. */
  static final int MAX_DETAIL_LENGTH = 200;

  /** The wire names of {@link Message}'s subtypes, read from its {@link JsonSubTypes} list. */
  private static final Set<String> TYPE_NAMES = typeNames();

  private final ObjectMapper mapper;
  // Prepared once: they hold the envelope's serializer and deserializer, which a mapper would
  // look up again on every call.
  private final ObjectWriter writer;
  private final ObjectReader reader;

  public Codec() {
    this.mapper = WireMapper.json();
    this.writer = mapper.writerFor(Envelope.class);
    this.reader = mapper.readerFor(Envelope.class);
  }

  /**
   * Encodes an envelope. Throws {@link OversizedMessageException} when the result would exceed
   * {@link Limits#MAX_DATAGRAM_BYTES}: a caller that builds messages must size them to fit.
   */
  public byte[] encode(Envelope envelope) {
    byte[] bytes = HotEncoder.encodeOrNull(envelope);
    if (bytes != null) {
      return bytes; // at most a datagram: HotEncoder gives up on anything larger
    }
    try {
      // Jackson recycles its output buffer per thread; the one copy left is the datagram itself,
      // which the caller keeps (an outbox queues it), so a buffer of our own would save nothing.
      bytes = writer.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      // Our own records always serialize; reaching this is a programming error.
      throw new IllegalStateException("cannot encode " + envelope.message().getClass(), e);
    }
    if (bytes.length > Limits.MAX_DATAGRAM_BYTES) {
      throw new OversizedMessageException(bytes.length);
    }
    return bytes;
  }

  /** Decodes a whole datagram; never throws (a null datagram is {@code EMPTY}). */
  public Decoded decode(byte[] datagram) {
    return decode(datagram, 0, datagram == null ? 0 : datagram.length);
  }

  /**
   * Decodes {@code length} bytes of {@code buffer} from {@code offset}; never throws. A range
   * outside the buffer is a caller's bug, but it is still answered with a rejection
   * ({@code MALFORMED}) so that no input can kill a driver's loop.
   */
  public Decoded decode(byte[] buffer, int offset, int length) {
    if (buffer == null || length == 0) {
      return reject(RejectReason.EMPTY, "empty datagram");
    }
    if (offset < 0 || length < 0 || offset > buffer.length - length) {
      return reject(RejectReason.MALFORMED,
          "range " + offset + "+" + length + " outside a buffer of " + buffer.length);
    }
    if (length > Limits.MAX_DATAGRAM_BYTES) {
      return reject(RejectReason.OVERSIZED, length + " bytes");
    }
    Envelope hot = HotDecoder.decodeOrNull(buffer, offset, length);
    if (hot != null) {
      return new Decoded.Ok(hot); // ASCII throughout, so strict UTF-8 too
    }
    String problem = StrictUtf8.problem(buffer, offset, length);
    if (problem != null) {
      return reject(RejectReason.MALFORMED, problem);
    }
    Envelope envelope = bindOrNull(buffer, offset, length);
    if (envelope != null && envelope.version() == Envelope.CURRENT_VERSION) {
      return new Decoded.Ok(envelope);
    }
    return decodeInStages(buffer, offset, length);
  }

  /** The fast path: the bytes bound in one pass, or null when that fails for any reason. */
  private Envelope bindOrNull(byte[] buffer, int offset, int length) {
    try {
      // StrictUtf8 left Jackson nothing to read but strict UTF-8 (no encoding to guess).
      return reader.readValue(buffer, offset, length);
    } catch (IOException | RuntimeException e) {
      // Which stage failed is for the staged path to say.
      return null;
    }
  }

  /**
   * The staged path, for bytes that passed the byte checks: each stage judged in order, so the
   * reason is the first failing stage's. Package-private so that a test can hold the fast path
   * to the same answers.
   */
  Decoded decodeInStages(byte[] buffer, int offset, int length) {
    JsonNode tree;
    try {
      tree = mapper.readTree(buffer, offset, length);
    } catch (IOException | RuntimeException e) {
      return reject(RejectReason.MALFORMED, firstLine(e));
    }
    if (tree == null || !tree.isObject()) {
      return reject(RejectReason.MALFORMED, "not a JSON object");
    }
    JsonNode version = tree.get("version");
    if (version == null || !version.isIntegralNumber()) {
      return reject(RejectReason.INVALID_FIELDS, "version missing or not an integer");
    }
    if (!version.canConvertToInt() || version.intValue() != Envelope.CURRENT_VERSION) {
      return reject(RejectReason.UNSUPPORTED_VERSION, "version " + version.asText());
    }
    JsonNode message = tree.get("message");
    if (message == null || !message.isObject()) {
      return reject(RejectReason.INVALID_FIELDS, "message missing or not an object");
    }
    JsonNode type = message.get("type");
    if (type == null || !type.isTextual() || !TYPE_NAMES.contains(type.textValue())) {
      return reject(RejectReason.UNKNOWN_TYPE, "message type " + type);
    }
    try {
      return new Decoded.Ok(reader.readValue(tree));
    } catch (IOException | RuntimeException e) {
      // Also covers a record constructor's IllegalArgumentException or NullPointerException,
      // which Jackson wraps, and a null envelope, which Decoded.Ok refuses.
      return reject(RejectReason.INVALID_FIELDS, firstLine(e));
    }
  }

  private static Decoded reject(RejectReason reason, String detail) {
    return new Decoded.Rejected(reason, printable(detail));
  }

  private static String firstLine(Throwable e) {
    String text = String.valueOf(e.getMessage());
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /**
   * Cuts a detail to {@link #MAX_DETAIL_LENGTH} printable ASCII characters: details quote bytes
   * from untrusted datagrams and end up in log lines, where control characters could forge lines.
   */
  private static String printable(String detail) {
    int length = Math.min(detail.length(), MAX_DETAIL_LENGTH);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      char c = detail.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }

  private static Set<String> typeNames() {
    Set<String> names = new TreeSet<>();
    for (JsonSubTypes.Type type : Message.class.getAnnotation(JsonSubTypes.class).value()) {
      names.add(type.name());
    }
    return Set.copyOf(names);
  }
}
