package io.quorumkv.common.wire;

import io.quorumkv.common.time.Version;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the messages of every client request (the key-value request and reply, and the replica
 * reads and writes with their replies) without Jackson, byte for byte as Jackson writes them: the
 * same fields in the same order, no spaces. Under bench load Jackson's serializers, which reach
 * every record component through reflection, were a sixth of a node's loop.
 *
 * <p>Only the plain case is handled: every string printable ASCII with no quote or backslash,
 * which JSON writes as it is. Anything else (another message type, a string that Jackson would
 * escape or encode as multibyte UTF-8, a message too large for a datagram) gets null, and
 * {@link Codec} falls back to Jackson, so the wire never depends on which path wrote it.
 * {@code HotCodecTest} holds the two to the same bytes.
 */
final class HotEncoder {

  /** One per thread, so that {@link Codec} stays shareable; the result is copied out of it. */
  private static final ThreadLocal<HotEncoder> PER_THREAD =
      ThreadLocal.withInitial(HotEncoder::new);

  private final byte[] buffer = new byte[Limits.MAX_DATAGRAM_BYTES];
  private int position;
  /** False once anything did not fit the plain case; the caller then uses Jackson. */
  private boolean plain;

  private HotEncoder() {
  }

  /** The envelope's bytes, or null when it is not one of the plain hot messages. */
  static byte[] encodeOrNull(Envelope envelope) {
    return PER_THREAD.get().encode(envelope);
  }

  private byte[] encode(Envelope envelope) {
    position = 0;
    plain = true;
    raw(HotJson.VERSION).number(envelope.version()).raw(HotJson.SENDER)
        .address(envelope.sender()).raw(HotJson.REQUEST_ID).number(envelope.requestId())
        .raw(HotJson.MESSAGE);
    Message message = envelope.message();
    if (message instanceof KvRequest m) {
      raw(HotJson.TYPE_KV).raw(HotJson.OP).text(m.op().wireName()).raw(HotJson.KEY).text(m.key())
          .raw(HotJson.VALUE).text(m.value()).raw(HotJson.CONSISTENCY)
          .text(m.consistency().wireName()).raw(HotJson.TIMEOUT).number(m.timeoutMillis())
          .raw(HotJson.TIMESTAMP).number(m.timestamp());
    } else if (message instanceof KvReply m) {
      raw(HotJson.TYPE_KV_REPLY).raw(HotJson.STATUS).text(m.status().wireName())
          .raw(HotJson.VALUE).text(m.value()).raw(HotJson.VERSION_FIELD).version(m.version())
          .raw(HotJson.REASON).text(m.reason());
    } else if (message instanceof ReplicaWrite m) {
      raw(HotJson.TYPE_REPLICA_WRITE).raw(HotJson.OP).text(m.op().wireName())
          .raw(HotJson.KEY).text(m.key()).raw(HotJson.VALUE).text(m.value())
          .raw(HotJson.VERSION_FIELD).version(m.version()).raw(HotJson.CLIENT)
          .address(m.client()).raw(HotJson.CLIENT_REQUEST_ID).number(m.clientRequestId());
    } else if (message instanceof ReplicaWriteReply m) {
      raw(HotJson.TYPE_REPLICA_WRITE_REPLY).raw(HotJson.STATUS).text(m.status().wireName());
    } else if (message instanceof ReplicaRead m) {
      raw(HotJson.TYPE_REPLICA_READ).raw(HotJson.KEY).text(m.key()).raw(HotJson.CLIENT)
          .address(m.client()).raw(HotJson.CLIENT_REQUEST_ID).number(m.clientRequestId());
    } else if (message instanceof ReplicaReadReply m) {
      KeyRecord r = m.record();
      raw(HotJson.TYPE_REPLICA_READ_REPLY).raw(HotJson.RECORD_KEY).text(r.key())
          .raw(HotJson.VALUE).text(r.value())
          .raw(r.tombstone() ? HotJson.TOMBSTONE_TRUE : HotJson.TOMBSTONE_FALSE)
          .raw(HotJson.VERSION_FIELD).version(r.version()).raw(HotJson.CLOSE);
    } else {
      return null;
    }
    raw(HotJson.CLOSE_ENVELOPE);
    return plain ? Arrays.copyOf(buffer, position) : null;
  }

  private HotEncoder version(Version v) {
    return raw(HotJson.TIMESTAMP_FIRST).number(v.timestamp()).raw(HotJson.WRITER)
        .address(v.writer()).raw(HotJson.CLOSE);
  }

  private HotEncoder raw(byte[] bytes) {
    if (position + bytes.length > buffer.length) {
      plain = false;
      return this;
    }
    System.arraycopy(bytes, 0, buffer, position, bytes.length);
    position += bytes.length;
    return this;
  }

  /** A JSON string: its quotes, and its characters when they are all plain. */
  private HotEncoder text(String s) {
    return ascii('"').chars(s).ascii('"');
  }

  /** "host:port" as a JSON string, without building the text. */
  private HotEncoder address(Address a) {
    return ascii('"').chars(a.host()).ascii(':').number(a.port()).ascii('"');
  }

  private HotEncoder ascii(char c) {
    if (position >= buffer.length) {
      plain = false;
      return this;
    }
    buffer[position++] = (byte) c;
    return this;
  }

  /** The characters of {@code s}, each one byte, if all are plain ({@link HotJson#isPlain}). */
  private HotEncoder chars(String s) {
    int length = s.length();
    if (position + length > buffer.length) {
      plain = false;
      return this;
    }
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (!HotJson.isPlain(c)) {
        plain = false;
        return this;
      }
      buffer[position++] = (byte) c;
    }
    return this;
  }

  /** A decimal integer as {@link Long#toString(long)} writes it (and Jackson does). */
  private HotEncoder number(long v) {
    if (position + 20 > buffer.length) {
      plain = false;
      return this;
    }
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        return raw(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
      }
      buffer[position++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long rest = v / 10; rest > 0; rest /= 10) {
      digits++;
    }
    for (int i = position + digits - 1; i >= position; i--) {
      buffer[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    position += digits;
    return this;
  }
}
