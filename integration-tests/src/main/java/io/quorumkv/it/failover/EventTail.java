package io.quorumkv.it.failover;

import io.quorumkv.it.EventLogReader;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.TimedEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Follows one node's event log as it grows, returning only its membership and suspicion events
 * (times in wall-clock epoch milliseconds). Under load the log is mostly key-value outcome lines
 * (four a request): those are skipped before any JSON parsing, and the file is read from where
 * the last poll stopped, so a log of a gigabyte costs one pass in all. A last line without its
 * newline (still being written) waits for the next poll.
 */
final class EventTail {

  /** The text every key-value outcome line holds (the node's writer puts no spaces). */
  private static final String KV_LINE = "\"event\":\"kv\"";
  private static final int CHUNK = 1 << 20;

  private final Path file;
  private long offset;
  /** Bytes of an incomplete last line, carried to the next read. */
  private byte[] partial = new byte[0];

  EventTail(Path file) {
    this.file = file;
  }

  /** The membership and suspicion events appended since the last poll (none if no file yet). */
  List<TimedEvent> poll() throws IOException {
    List<TimedEvent> events = new ArrayList<>();
    if (!Files.exists(file)) {
      return events;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      while (true) {
        buffer.clear();
        int read = channel.read(buffer, offset);
        if (read <= 0) {
          break;
        }
        offset += read;
        byte[] bytes = new byte[partial.length + read];
        System.arraycopy(partial, 0, bytes, 0, partial.length);
        System.arraycopy(buffer.array(), 0, bytes, partial.length, read);
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
          if (bytes[i] == '\n') {
            accept(new String(bytes, start, i - start, StandardCharsets.UTF_8), events);
            start = i + 1;
          }
        }
        partial = Arrays.copyOfRange(bytes, start, bytes.length);
      }
    }
    return events;
  }

  private static void accept(String line, List<TimedEvent> events) {
    if (line.contains(KV_LINE)) {
      return;
    }
    TimedEvent e = EventLogReader.parseLine(line, 0);
    if (e != null && (e.event() instanceof NodeEvent.Membership
        || e.event() instanceof NodeEvent.Suspected)) {
      events.add(e);
    }
  }
}
