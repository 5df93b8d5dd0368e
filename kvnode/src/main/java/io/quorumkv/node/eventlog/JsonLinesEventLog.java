package io.quorumkv.node.eventlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.NodeEvent;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An {@link EventSink} that appends one JSON object per line to a file, for scripts and graders
 * that count events ({@code grep -c '"event":"removed"'}, or a JSON parser per line). Every line
 * starts with the same three fields, then the fields of its kind:
 *
 * <pre>
 * {"time":1764070000123,"observer":"127.0.0.1:7001","event":"joined",
 *  "subject":"127.0.0.1:7003","generation":1764069999000,"incarnation":0}
 * </pre>
 *
 * (one line in the file). {@code time} is wall-clock epoch milliseconds from the injected clock;
 * {@code observer} is the node that logged it; {@code event} names the kind. Membership events
 * are {@code joined} and {@code removed} with {@code subject}, {@code generation} and
 * {@code incarnation}; {@code suspected} (the subject turned suspect, still a member) has the same
 * fields. A new kind of {@link NodeEvent} gets its own {@code event} name(s) and
 * fields in {@link #fieldsOf}; existing names and fields never change meaning.
 *
 * <p>Writes are buffered; the event loop calls {@link #flush()} after every iteration, so a line is
 * on disk within milliseconds of its event. The file is opened in append mode, so a restarted node
 * continues its log. An I/O error is counted ({@link #errors()}) and logged once, never thrown
 * into the node: losing an event line must not take the node down.
 *
 * <p>Thread-safe (its methods are synchronized): the loop thread writes, and a shutdown hook may
 * close it.
 */
public final class JsonLinesEventLog implements EventSink, Flushable, Closeable {

  private static final System.Logger LOG = System.getLogger(JsonLinesEventLog.class.getName());
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path file;
  private final LongSupplier wallClockMillis;
  private final OutputStream out;
  private boolean dirty;
  private boolean closed;
  private long errors;

  /**
   * Opens (creating if needed) {@code file} for appending.
   *
   * @param wallClockMillis stamps each line; {@code System::currentTimeMillis} in a real process
   * @throws IOException if the file cannot be opened (a node should not start without its log)
   */
  public JsonLinesEventLog(Path file, LongSupplier wallClockMillis) throws IOException {
    this.file = Objects.requireNonNull(file, "file");
    this.wallClockMillis = Objects.requireNonNull(wallClockMillis, "wallClockMillis");
    this.out = new BufferedOutputStream(Files.newOutputStream(file,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 16 * 1024);
  }

  @Override
  public synchronized void accept(NodeEvent event) {
    if (closed) {
      failed(new IOException("event log is closed; dropped " + event));
      return;
    }
    ObjectNode line = line(event);
    if (line == null) {
      failed(new IOException("no line format for " + event.getClass().getName()));
      return;
    }
    try {
      out.write(MAPPER.writeValueAsBytes(line));
      out.write('\n');
      dirty = true;
    } catch (IOException e) {
      failed(e);
    }
  }

  /** Writes buffered lines to the file; cheap when nothing was written since the last flush. */
  @Override
  public synchronized void flush() {
    if (!dirty || closed) {
      return;
    }
    dirty = false;
    try {
      out.flush();
    } catch (IOException e) {
      failed(e);
    }
  }

  /** Flushes and closes the file; later events are counted as errors. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    flush();
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      failed(e);
    }
  }

  /** How many writes, flushes or closes failed (or events arrived after close). */
  public synchronized long errors() {
    return errors;
  }

  public Path file() {
    return file;
  }

  /**
   * The JSON object of one line: time, observer, event name, then the kind's own fields; null for
   * a kind that has no line format yet.
   */
  private ObjectNode line(NodeEvent event) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("time", wallClockMillis.getAsLong());
    line.put("observer", event.observer().toString());
    return fieldsOf(event, line) ? line : null;
  }

  /** Adds {@code "event"} and the kind's own fields; one branch per kind of event. */
  private static boolean fieldsOf(NodeEvent event, ObjectNode line) {
    if (event instanceof NodeEvent.Membership) {
      NodeEvent.Membership membership = (NodeEvent.Membership) event;
      line.put("event", membership.change().name().toLowerCase(Locale.ROOT));
      line.put("subject", membership.subject().toString());
      line.put("generation", membership.generation());
      line.put("incarnation", membership.incarnation());
      return true;
    }
    if (event instanceof NodeEvent.Suspected) {
      NodeEvent.Suspected suspected = (NodeEvent.Suspected) event;
      line.put("event", "suspected");
      line.put("subject", suspected.subject().toString());
      line.put("generation", suspected.generation());
      line.put("incarnation", suspected.incarnation());
      return true;
    }
    if (event instanceof NodeEvent.KvOutcome) {
      NodeEvent.KvOutcome kv = (NodeEvent.KvOutcome) event;
      line.put("event", "kv");
      line.put("role", kv.role().name().toLowerCase(Locale.ROOT));
      line.put("op", kv.op().wireName());
      line.put("outcome", kv.success() ? "success" : "fail");
      line.put("client", kv.client().toString());
      line.put("requestId", kv.requestId());
      line.put("key", kv.key());
      line.put("value", kv.value());
      return true;
    }
    // A new kind of event must be given its name and fields here.
    return false;
  }

  private void failed(IOException e) {
    errors++;
    if (errors == 1) {
      LOG.log(System.Logger.Level.WARNING, "event log " + file + " failed (further failures are"
          + " only counted): " + e);
    }
  }
}
