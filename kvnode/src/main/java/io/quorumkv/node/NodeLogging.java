package io.quorumkv.node;

import io.quorumkv.common.wire.Address;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The daemon's logging: one line per record on stderr, with the node's address on every line,
 * and a way to log while the process shuts down (see {@link #announce}).
 */
final class NodeLogging {

  /** The stderr handler installed at start; the shutdown hook writes to it directly (see there). */
  private static volatile Handler installed;

  private NodeLogging() {
  }

  /**
   * Routes System.Logger (JDK platform logging, backed by java.util.logging) to one-line stderr.
   */
  static void configure(String level, Address self) {
    Level threshold = switch (level) {
      case "debug" -> Level.FINE;
      case "warn" -> Level.WARNING;
      default -> Level.INFO;
    };
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setLevel(Level.ALL);
    handler.setFormatter(new LineFormat(self));
    root.addHandler(handler);
    root.setLevel(threshold);
    installed = handler;
  }

  /**
   * "2025-11-25T10:00:00.123Z INFO  [127.0.0.1:7001] UdpEventLoop: message", then any stack
   * trace.
   */
  static final class LineFormat extends Formatter {
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Address self;

    LineFormat(Address self) {
      this.self = self;
    }

    @Override
    public String format(LogRecord record) {
      StringBuilder line = new StringBuilder(160)
          .append(TIME.format(Instant.ofEpochMilli(record.getMillis()))).append(' ')
          .append(String.format("%-5s", levelName(record.getLevel()))).append(" [").append(self)
          .append("] ").append(shortName(record.getLoggerName())).append(": ")
          .append(formatMessage(record)).append(System.lineSeparator());
      if (record.getThrown() != null) {
        java.io.StringWriter trace = new java.io.StringWriter();
        record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }

    private static String levelName(Level level) {
      if (level.intValue() >= Level.SEVERE.intValue()) {
        return "ERROR";
      } else if (level.intValue() >= Level.WARNING.intValue()) {
        return "WARN";
      } else if (level.intValue() >= Level.INFO.intValue()) {
        return "INFO";
      }
      return level.intValue() >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    private static String shortName(String loggerName) {
      return loggerName == null ? "-" : loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }
  }

  /**
   * Logs one INFO line during shutdown. java.util.logging's own shutdown hook resets every logger
   * concurrently with ours, so a line logged the usual way may vanish; writing to the handler
   * directly does not depend on that race.
   */
  static void announce(String message) {
    Handler handler = installed;
    if (handler != null) {
      LogRecord record = new LogRecord(Level.INFO, message);
      record.setLoggerName(NodeMain.class.getName());
      handler.publish(record);
      handler.flush();
    }
  }
}
