package io.quorumkv.common.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Several encoded messages to one node in one datagram: a byte {@link #MARKER} (0x00, which no
 * JSON text starts with), then each message as a 2-byte big-endian length and its bytes. Nodes
 * send the replica protocol's messages this way when one turn of their loop has several for the
 * same peer (a coordinator with 32 requests in flight writes to the same two replicas): one
 * system call and one wake-up per peer instead of one per message. Each part is an ordinary
 * datagram's content, decoded and checked by {@link Codec} on its own; bundles do not nest, and
 * a bundle's framing is checked whole before any part is delivered. A client receives bundles
 * only after sending one: a node then bundles its answers to that client's address too (the
 * bench coalesces its requests this way); a client that sends one message at a time gets one
 * message a datagram.
 */
public final class Bundle {

  /** The first byte of a bundle. */
  public static final byte MARKER = 0x00;

  /** Bytes of framing per part: its length. */
  public static final int PART_OVERHEAD = 2;

  private Bundle() {
  }

  /**
   * True when the datagram in {@code buffer[offset, offset + length)} is a bundle; false for a
   * missing buffer, a range outside it or a datagram larger than
   * {@link Limits#MAX_DATAGRAM_BYTES} (all of which {@link Codec} then rejects).
   */
  public static boolean isBundle(byte[] buffer, int offset, int length) {
    return buffer != null && length > 0 && length <= Limits.MAX_DATAGRAM_BYTES && offset >= 0
        && offset <= buffer.length - length && buffer[offset] == MARKER;
  }

  /** Bytes a bundle of these parts takes. */
  public static int size(List<byte[]> parts) {
    int size = 1;
    for (byte[] part : parts) {
      size += PART_OVERHEAD + part.length;
    }
    return size;
  }

  /**
   * The bundle of {@code parts} (each a non-empty encoded message, not itself a bundle). The
   * caller keeps the result within {@link Limits#MAX_DATAGRAM_BYTES} (see {@link #size}).
   */
  public static byte[] pack(List<byte[]> parts) {
    byte[] out = new byte[size(parts)];
    out[0] = MARKER;
    int at = 1;
    for (byte[] part : parts) {
      if (part.length == 0 || part.length > Limits.MAX_DATAGRAM_BYTES || part[0] == MARKER) {
        throw new IllegalArgumentException("a part must be one encoded message");
      }
      out[at] = (byte) (part.length >>> 8);
      out[at + 1] = (byte) part.length;
      System.arraycopy(part, 0, out, at + PART_OVERHEAD, part.length);
      at += PART_OVERHEAD + part.length;
    }
    return out;
  }

  /**
   * {@code parts} (encoded messages to one address, in order) as the datagrams that carry them:
   * as few bundles as fit in {@link Limits#MAX_DATAGRAM_BYTES} each, in order, and a part that
   * would be alone in its bundle as the plain message.
   */
  public static List<byte[]> datagrams(List<byte[]> parts) {
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    while (from < parts.size()) {
      int to = from + 1;
      int size = 1 + PART_OVERHEAD + parts.get(from).length;
      while (to < parts.size()
          && size + PART_OVERHEAD + parts.get(to).length <= Limits.MAX_DATAGRAM_BYTES) {
        size += PART_OVERHEAD + parts.get(to).length;
        to++;
      }
      out.add(to - from == 1 ? parts.get(from) : pack(parts.subList(from, to)));
      from = to;
    }
    return out;
  }

  /** Receives the parts of a bundle: {@code length} bytes of {@code buffer} from {@code offset}. */
  @FunctionalInterface
  public interface PartHandler {
    void onPart(byte[] buffer, int offset, int length);
  }

  /**
   * Hands each part of the bundle in {@code buffer[offset, offset + length)} to {@code handler},
   * in order, and returns the number of parts; returns -1 and hands over nothing when the framing
   * is broken (a length of zero or past the end, a nested bundle, no parts at all).
   */
  public static int forEachPart(byte[] buffer, int offset, int length, PartHandler handler) {
    int parts = countParts(buffer, offset, length);
    if (parts < 0) {
      return -1;
    }
    int at = offset + 1;
    int end = offset + length;
    while (at < end) {
      int partLength = partLength(buffer, at);
      handler.onPart(buffer, at + PART_OVERHEAD, partLength);
      at += PART_OVERHEAD + partLength;
    }
    return parts;
  }

  private static int countParts(byte[] buffer, int offset, int length) {
    if (!isBundle(buffer, offset, length)) {
      return -1;
    }
    int at = offset + 1;
    int end = offset + length;
    int parts = 0;
    while (at < end) {
      if (end - at < PART_OVERHEAD) {
        return -1;
      }
      int partLength = partLength(buffer, at);
      if (partLength == 0 || partLength > end - at - PART_OVERHEAD
          || buffer[at + PART_OVERHEAD] == MARKER) {
        return -1;
      }
      at += PART_OVERHEAD + partLength;
      parts++;
    }
    return parts == 0 ? -1 : parts;
  }

  private static int partLength(byte[] buffer, int at) {
    return ((buffer[at] & 0xFF) << 8) | (buffer[at + 1] & 0xFF);
  }
}
