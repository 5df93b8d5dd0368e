package io.quorumkv.client.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shell's quoting: a line is split into words at spaces and tabs; a double-quoted part keeps
 * its spaces and understands the escapes \" \\ \n \t \r and \\uXXXX. Quoted and unquoted parts
 * next to each other make one word ({@code a"b c"} is {@code ab c}); outside quotes a backslash is
 * an ordinary character. The same syntax prints values that would otherwise be ambiguous.
 */
final class ShellWords {

  /**
   * One word of a line. {@code quoted} is true when any part of it was quoted: such a word is
   * never taken for an option, so {@code put k "--x"} stores "--x".
   */
  record Word(String text, boolean quoted) {
  }

  private ShellWords() {
  }

  /** The words of {@code line}; a usage error for an unterminated quote or unknown escape. */
  static List<Word> split(String line) throws CommandException {
    List<Word> words = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && isBlank(line.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return words;
      }
      StringBuilder text = new StringBuilder();
      boolean quoted = false;
      while (i < n && !isBlank(line.charAt(i))) {
        char c = line.charAt(i++);
        if (c != '"') {
          text.append(c);
          continue;
        }
        quoted = true;
        i = readQuoted(line, i, text);
      }
      words.add(new Word(text.toString(), quoted));
    }
  }

  /**
   * {@code value} as it is when that is unambiguous as a shell result line, else double-quoted.
   * Quoted are: the empty value, values with control characters (a newline would split the
   * line), and values that start with a double quote, "(" or "ERROR:" (they would look like a
   * quoted value, "(not found)" or a failure).
   */
  static String quoteIfNeeded(String value) {
    boolean needed = value.isEmpty() || value.startsWith("\"") || value.startsWith("(")
        || value.startsWith(KvFormat.ERROR_PREFIX.strip());
    for (int i = 0; i < value.length() && !needed; i++) {
      needed = Character.isISOControl(value.charAt(i));
    }
    return needed ? quote(value) : value;
  }

  /** {@code value} double-quoted, with the escapes {@link #split} understands. */
  static String quote(String value) {
    StringBuilder text = new StringBuilder(value.length() + 2).append('"');
    appendEscaped(text, value, true);
    return text.append('"').toString();
  }

  /** {@code text} with its control characters escaped, so that it stays on one line. */
  static String escapeControls(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    appendEscaped(escaped, text, false);
    return escaped.toString();
  }

  private static void appendEscaped(StringBuilder text, String value, boolean quoting) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          text.append(quoting ? "\\\"" : "\"");
          break;
        case '\\':
          text.append(quoting ? "\\\\" : "\\");
          break;
        case '\n':
          text.append("\\n");
          break;
        case '\t':
          text.append("\\t");
          break;
        case '\r':
          text.append("\\r");
          break;
        default:
          if (Character.isISOControl(c)) {
            text.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            text.append(c);
          }
      }
    }
  }

  /**
   * Appends the quoted part that starts at {@code i}, just after its opening quote, and returns
   * the index after its closing quote.
   */
  private static int readQuoted(String line, int i, StringBuilder text) throws CommandException {
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i++);
      if (c == '"') {
        return i;
      }
      if (c != '\\') {
        text.append(c);
        continue;
      }
      if (i >= n) {
        break;
      }
      char e = line.charAt(i++);
      switch (e) {
        case '"':
        case '\\':
          text.append(e);
          break;
        case 'n':
          text.append('\n');
          break;
        case 't':
          text.append('\t');
          break;
        case 'r':
          text.append('\r');
          break;
        case 'u':
          text.append(hex(line, i));
          i += 4;
          break;
        default:
          throw CommandException.usage("unknown escape '\\" + e + "' in a quoted string");
      }
    }
    throw CommandException.usage("unterminated quoted string");
  }

  private static char hex(String line, int i) throws CommandException {
    if (i + 4 > line.length()) {
      throw CommandException.usage("\\u needs four hex digits");
    }
    int value = 0;
    for (int k = i; k < i + 4; k++) {
      char c = line.charAt(k);
      // ASCII only: Character.digit would also take other scripts' digits.
      int digit = c < 128 ? Character.digit(c, 16) : -1;
      if (digit < 0) {
        throw CommandException.usage("\\u needs four hex digits, got '"
            + line.substring(i, i + 4) + "'");
      }
      value = value * 16 + digit;
    }
    return (char) value;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
