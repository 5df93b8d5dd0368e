package io.quorumkv.common.wire;

import java.nio.charset.StandardCharsets;

/**
 * The fixed bytes of the hot messages' JSON, shared by {@link HotEncoder} and
 * {@link HotDecoder}: field names in Jackson's order (a record's components, the envelope's
 * first, the message's type before its fields), with the punctuation around them.
 */
final class HotJson {

  static final byte[] VERSION = ascii("{\"version\":");
  static final byte[] SENDER = ascii(",\"sender\":");
  static final byte[] REQUEST_ID = ascii(",\"requestId\":");
  static final byte[] MESSAGE = ascii(",\"message\":{\"type\":");

  static final byte[] TYPE_KV = ascii("\"kv\"");
  static final byte[] TYPE_KV_REPLY = ascii("\"kv-reply\"");
  static final byte[] TYPE_REPLICA_WRITE = ascii("\"replica-write\"");
  static final byte[] TYPE_REPLICA_WRITE_REPLY = ascii("\"replica-write-reply\"");
  static final byte[] TYPE_REPLICA_READ = ascii("\"replica-read\"");
  static final byte[] TYPE_REPLICA_READ_REPLY = ascii("\"replica-read-reply\"");

  static final byte[] OP = ascii(",\"op\":");
  static final byte[] KEY = ascii(",\"key\":");
  static final byte[] VALUE = ascii(",\"value\":");
  static final byte[] CONSISTENCY = ascii(",\"consistency\":");
  static final byte[] TIMEOUT = ascii(",\"timeoutMillis\":");
  static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
  static final byte[] STATUS = ascii(",\"status\":");
  static final byte[] VERSION_FIELD = ascii(",\"version\":");
  static final byte[] REASON = ascii(",\"reason\":");
  static final byte[] CLIENT = ascii(",\"client\":");
  static final byte[] CLIENT_REQUEST_ID = ascii(",\"clientRequestId\":");
  static final byte[] RECORD_KEY = ascii(",\"record\":{\"key\":");
  static final byte[] TOMBSTONE_TRUE = ascii(",\"tombstone\":true");
  static final byte[] TOMBSTONE_FALSE = ascii(",\"tombstone\":false");
  static final byte[] TIMESTAMP_FIRST = ascii("{\"timestamp\":");
  static final byte[] WRITER = ascii(",\"writer\":");
  static final byte[] CLOSE = ascii("}");
  static final byte[] CLOSE_ENVELOPE = ascii("}}");

  private HotJson() {
  }

  /**
   * True for a character JSON writes as it is, one byte of UTF-8: printable ASCII but the quote
   * and the backslash. Jackson escapes only those two and the control characters below 0x20.
   */
  static boolean isPlain(int c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
