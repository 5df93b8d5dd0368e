package io.quorumkv.node.storage;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How a {@link KeyRecord} is laid out on disk. The engine's key is the record's key in UTF-8; its
 * value is, big-endian:
 * <pre>
 *   offset  size  field
 *   0       1     format (1): any other value is refused, so a later layout is detected
 *   1       1     flags: bit 0 tombstone; the other bits must be 0
 *   2       8     version timestamp (the packed hybrid-clock value)
 *   10      2     version writer's port (unsigned)
 *   12      1     writer's host length L (1..253; hosts are ASCII, see Address)
 *   13      L     writer's host
 *   13+L    rest  the value in UTF-8 (empty for a tombstone)
 * </pre>
 * So a 10-byte value written by 127.0.0.1:7001 takes 32 bytes. Strings are encoded and decoded
 * strictly: a string that is not valid Unicode (a lone surrogate) is refused rather than stored
 * as something else, since two different keys must never share one stored key.
 */
final class RecordCodec {

  /** The record layout this code writes and reads. */
  static final byte FORMAT = 1;

  private static final int FIXED_BYTES = 13;
  private static final int TOMBSTONE = 1;

  private RecordCodec() {
  }

  /** The engine key of {@code key}: its UTF-8 bytes. */
  static byte[] key(String key) {
    return utf8("key", key);
  }

  /** The key whose engine key is {@code bytes}. */
  static String key(byte[] bytes) throws CorruptRecordException {
    return text(bytes, 0, bytes.length, "key");
  }

  /** The engine value of {@code record}. */
  static byte[] value(KeyRecord record) {
    byte[] host = record.version().writer().host().getBytes(StandardCharsets.US_ASCII);
    byte[] value = utf8("value", record.value());
    ByteBuffer out = ByteBuffer.allocate(FIXED_BYTES + host.length + value.length);
    out.put(FORMAT);
    out.put((byte) (record.tombstone() ? TOMBSTONE : 0));
    out.putLong(record.version().timestamp());
    out.putShort((short) record.version().writer().port());
    out.put((byte) host.length);
    out.put(host);
    out.put(value);
    return out.array();
  }

  /** The record of {@code key} stored as {@code bytes}; throws if the bytes are not one. */
  static KeyRecord decode(String key, byte[] bytes) throws CorruptRecordException {
    if (bytes.length < FIXED_BYTES + 1) {
      throw new CorruptRecordException("record of " + bytes.length + " bytes is too short");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte format = in.get();
    if (format != FORMAT) {
      throw new CorruptRecordException("record format " + format + ", this kvnode reads format "
          + FORMAT);
    }
    int flags = in.get();
    if ((flags & ~TOMBSTONE) != 0) {
      throw new CorruptRecordException("unknown record flags " + flags);
    }
    long timestamp = in.getLong();
    int port = Short.toUnsignedInt(in.getShort());
    int hostLength = Byte.toUnsignedInt(in.get());
    if (hostLength == 0 || FIXED_BYTES + hostLength > bytes.length) {
      throw new CorruptRecordException("writer host length " + hostLength + " does not fit");
    }
    String host = new String(bytes, FIXED_BYTES, hostLength, StandardCharsets.US_ASCII);
    int valueAt = FIXED_BYTES + hostLength;
    String value = text(bytes, valueAt, bytes.length - valueAt, "value");
    boolean tombstone = (flags & TOMBSTONE) != 0;
    try {
      return new KeyRecord(key, value, tombstone, new Version(timestamp, new Address(host, port)));
    } catch (IllegalArgumentException e) {
      throw new CorruptRecordException(e.getMessage());
    }
  }

  /** The bytes {@code record} takes in the engine, key included, computed without encoding. */
  static long storedBytes(KeyRecord record) {
    return storedBytes(record.key(), utf8Length(record.value()), record.version().writer());
  }

  /** {@link #storedBytes(KeyRecord)} of a record given by its key, value length and writer. */
  static long storedBytes(String key, long valueUtf8Bytes, Address writer) {
    return utf8Length(key) + FIXED_BYTES + writer.host().length() + valueUtf8Bytes;
  }

  /** UTF-8 bytes of {@code s}; a lone surrogate counts as the 3 bytes a replacement would take. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static byte[] utf8(String what, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(what + " is not valid Unicode (a lone surrogate at "
            + i + "): not stored");
      }
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes, int offset, int length, String what)
      throws CorruptRecordException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptRecordException(what + " is not UTF-8");
    }
  }

  /** Stored bytes that are not a record of this format. */
  static final class CorruptRecordException extends Exception {
    CorruptRecordException(String message) {
      super(message);
    }
  }
}
