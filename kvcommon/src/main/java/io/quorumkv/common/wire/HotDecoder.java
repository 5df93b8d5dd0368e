package io.quorumkv.common.wire;

import io.quorumkv.common.time.Version;
import java.nio.charset.StandardCharsets;

/**
 * Reads the hot messages ({@link HotEncoder}'s) in exactly the form Jackson and
 * {@link HotEncoder} write them, without Jackson; anything else gets null and goes down
 * {@link Codec}'s other paths. Under bench load Jackson's binding was about a quarter of a
 * node's loop and most of the garbage a request made.
 *
 * <p>Why accepting only that one form keeps every rule of {@link Codec}: the form is one JSON
 * object with no spaces, the current version, every field of the record once, in order, with no
 * others; strings of printable ASCII with no escapes (so their text is their bytes); integers
 * in long range without sign or leading zeros; {@code true} or {@code false}; and nothing after
 * the object. Such bytes pass every stage of the staged path, and binding them gives the same
 * record, since the values go through the same constructors and factories ({@link Address#parse},
 * the enums' {@code fromWire}) that Jackson calls. A value one of them refuses makes this null
 * too, and the staged path then names the reason. {@code CodecFuzzTest} and
 * {@code CodecFastPathTest} hold {@link Codec#decode} to the staged path's answers.
 */
final class HotDecoder {

  /**
   * Thrown to give up on the form: without a stack trace, since bytes of another form (a
   * message with an escaped string, say) are not an error, only not for this path.
   */
  private static final RuntimeException NOT_HOT = new RuntimeException("not a hot message",
      null, false, false) {
  };

  private final byte[] bytes;
  private final int end;
  private int at;

  private HotDecoder(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.at = offset;
    this.end = offset + length;
  }

  /** The envelope in {@code length} bytes of {@code bytes} from {@code offset}, or null. */
  static Envelope decodeOrNull(byte[] bytes, int offset, int length) {
    try {
      return new HotDecoder(bytes, offset, length).envelope();
    } catch (RuntimeException e) {
      // NOT_HOT, a record's own validation, or an enum's unknown name: the staged path says.
      return null;
    }
  }

  private Envelope envelope() {
    expect(HotJson.VERSION);
    if (number() != Envelope.CURRENT_VERSION) {
      throw NOT_HOT;
    }
    expect(HotJson.SENDER);
    Address sender = address();
    expect(HotJson.REQUEST_ID);
    long requestId = number();
    expect(HotJson.MESSAGE);
    Message message = message();
    expect(HotJson.CLOSE_ENVELOPE);
    if (at != end) {
      throw NOT_HOT;
    }
    return new Envelope(Envelope.CURRENT_VERSION, sender, requestId, message);
  }

  private Message message() {
    if (skip(HotJson.TYPE_KV)) {
      KvOp op = KvOp.fromWire(field(HotJson.OP));
      String key = field(HotJson.KEY);
      String value = field(HotJson.VALUE);
      Consistency consistency = Consistency.fromWire(field(HotJson.CONSISTENCY));
      expect(HotJson.TIMEOUT);
      long timeoutMillis = number();
      expect(HotJson.TIMESTAMP);
      return new KvRequest(op, key, value, consistency, timeoutMillis, number());
    }
    if (skip(HotJson.TYPE_KV_REPLY)) {
      KvStatus status = KvStatus.fromWire(field(HotJson.STATUS));
      String value = field(HotJson.VALUE);
      expect(HotJson.VERSION_FIELD);
      Version version = version();
      return new KvReply(status, value, version, field(HotJson.REASON));
    }
    if (skip(HotJson.TYPE_REPLICA_WRITE)) {
      KvOp op = KvOp.fromWire(field(HotJson.OP));
      String key = field(HotJson.KEY);
      String value = field(HotJson.VALUE);
      expect(HotJson.VERSION_FIELD);
      Version version = version();
      expect(HotJson.CLIENT);
      Address client = address();
      expect(HotJson.CLIENT_REQUEST_ID);
      return new ReplicaWrite(op, key, value, version, client, number());
    }
    if (skip(HotJson.TYPE_REPLICA_WRITE_REPLY)) {
      return ReplicaWriteReply.of(KvStatus.fromWire(field(HotJson.STATUS)));
    }
    if (skip(HotJson.TYPE_REPLICA_READ)) {
      String key = field(HotJson.KEY);
      expect(HotJson.CLIENT);
      Address client = address();
      expect(HotJson.CLIENT_REQUEST_ID);
      return new ReplicaRead(key, client, number());
    }
    if (skip(HotJson.TYPE_REPLICA_READ_REPLY)) {
      String key = field(HotJson.RECORD_KEY);
      String value = field(HotJson.VALUE);
      boolean tombstone;
      if (skip(HotJson.TOMBSTONE_FALSE)) {
        tombstone = false;
      } else {
        expect(HotJson.TOMBSTONE_TRUE);
        tombstone = true;
      }
      expect(HotJson.VERSION_FIELD);
      Version version = version();
      expect(HotJson.CLOSE);
      return new ReplicaReadReply(new KeyRecord(key, value, tombstone, version));
    }
    throw NOT_HOT;
  }

  private Version version() {
    expect(HotJson.TIMESTAMP_FIRST);
    long timestamp = number();
    expect(HotJson.WRITER);
    Address writer = address();
    expect(HotJson.CLOSE);
    return new Version(timestamp, writer);
  }

  /** The string after {@code name}. */
  private String field(byte[] name) {
    expect(name);
    return string();
  }

  private Address address() {
    int start = stringEnd();
    return KnownAddresses.of(bytes, start, at++ - start);
  }

  /** A JSON string of plain characters only ({@link HotJson#isPlain}); its text is its bytes. */
  private String string() {
    int start = stringEnd();
    return new String(bytes, start, at++ - start, StandardCharsets.ISO_8859_1);
  }

  /**
   * Steps to the closing quote of a plain string starting here; returns where its text starts.
   */
  private int stringEnd() {
    if (at >= end || bytes[at] != '"') {
      throw NOT_HOT;
    }
    int start = ++at;
    while (at < end && bytes[at] != '"') {
      if (!HotJson.isPlain(bytes[at])) {
        throw NOT_HOT;
      }
      at++;
    }
    if (at >= end) {
      throw NOT_HOT;
    }
    return start;
  }

  /**
   * A non-negative integer as JSON allows it (no leading zeros) within long range. A negative
   * one is not hot: no hot field is negative in practice, and the staged path reads it.
   */
  private long number() {
    int start = at;
    long value = 0;
    while (at < end && bytes[at] >= '0' && bytes[at] <= '9') {
      // Past long range this throws, and the staged path rejects the number.
      value = Math.addExact(Math.multiplyExact(value, 10), bytes[at] - '0');
      at++;
    }
    int digits = at - start;
    if (digits == 0 || (digits > 1 && bytes[start] == '0')) {
      throw NOT_HOT;
    }
    return value;
  }

  private void expect(byte[] literal) {
    if (!skip(literal)) {
      throw NOT_HOT;
    }
  }

  /** Steps over {@code literal} if the bytes go on with it; false (not moved) otherwise. */
  private boolean skip(byte[] literal) {
    if (end - at < literal.length) {
      return false;
    }
    for (int i = 0; i < literal.length; i++) {
      if (bytes[at + i] != literal[i]) {
        return false;
      }
    }
    at += literal.length;
    return true;
  }
}
