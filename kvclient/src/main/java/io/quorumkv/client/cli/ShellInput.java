package io.quorumkv.client.cli;

import java.io.IOException;
import java.io.Reader;

/**
 * The shell's lines, read with a bound: a line longer than {@link #MAX_LINE_CHARS} is skipped to
 * its end and reported as too long, so one runaway line costs bounded memory and only its own
 * command. Lines end at "\n"; a "\r" just before it is dropped, so files with CRLF endings work.
 */
final class ShellInput {

  /**
   * Longest line accepted: 64 KiB characters. The largest valid value written with \\u escapes
   * (six characters per byte) still fits, with room for the command and key.
   */
  static final int MAX_LINE_CHARS = 64 * 1024;

  private final Reader in;
  private boolean tooLong;

  ShellInput(Reader in) {
    this.in = in;
  }

  /**
   * The next line without its ending, or null at the end of input. After a line that was too
   * long this returns "" and {@link #lastLineTooLong()} is true.
   */
  String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    tooLong = false;
    while (true) {
      int c = in.read();
      if (c == -1) {
        return line.length() == 0 && !tooLong ? null : finish(line);
      }
      if (c == '\n') {
        return finish(line);
      }
      if (line.length() < MAX_LINE_CHARS) {
        line.append((char) c);
      } else {
        tooLong = true;
      }
    }
  }

  /** True when the line {@link #readLine()} returned last was longer than the bound. */
  boolean lastLineTooLong() {
    return tooLong;
  }

  private String finish(StringBuilder line) {
    if (tooLong) {
      return "";
    }
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    return line.substring(0, end);
  }
}
