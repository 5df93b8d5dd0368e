package io.quorumkv.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorumkv.client.cli.ShellWords.Word;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellWordsTest {

  @Test
  void splitsAtBlanksAndKeepsQuotedParts() throws Exception {
    assertEquals(List.of(), texts(""));
    assertEquals(List.of(), texts("  \t "));
    assertEquals(List.of("put", "k", "v"), texts(" put\tk   v "));
    assertEquals(List.of("put", "k", "hello, world"), texts("put k \"hello, world\""));
    assertEquals(List.of("ab c"), texts("a\"b c\""));
    assertEquals(List.of(""), texts("\"\""));
    assertEquals(List.of("a\\b"), texts("a\\b"));
    assertEquals(List.of("\" \\ \n \t \r é"), texts("\"\\\" \\\\ \\n \\t \\r \\u00E9\""));
  }

  @Test
  void marksQuotedWords() throws Exception {
    assertEquals(List.of(new Word("--x", false), new Word("--y", true)),
        ShellWords.split("--x \"--y\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"open", "\"ends with backslash\\", "\"\\x\"", "\"\\u12\"",
      "\"\\u12G4\""})
  void refusesBrokenQuoting(String line) {
    assertThrows(CommandException.class, () -> ShellWords.split(line));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "two words", "\"quoted\"", "(x)", "ERROR: x",
      "line\nbreak", "tab\t", "back\\slash", "bell\u0007", "é ü"})
  void quotedValuesReadBackAsThemselves(String value) throws Exception {
    String printed = ShellWords.quoteIfNeeded(value);

    assertEquals(1, printed.lines().count() + (printed.isEmpty() ? 1 : 0));
    if (!printed.equals(value)) {
      assertEquals(List.of(value), texts(printed));
    }
  }

  @Test
  void quotesOnlyWhatCouldBeMistaken() {
    assertEquals("plain", ShellWords.quoteIfNeeded("plain"));
    assertEquals("two words", ShellWords.quoteIfNeeded("two words"));
    assertEquals("OK", ShellWords.quoteIfNeeded("OK"));
    assertEquals("\"\"", ShellWords.quoteIfNeeded(""));
    assertEquals("\"(not found)\"", ShellWords.quoteIfNeeded("(not found)"));
    assertEquals("\"a\\u0007\"", ShellWords.quoteIfNeeded("a\u0007"));
  }

  private static List<String> texts(String line) throws CommandException {
    return ShellWords.split(line).stream().map(Word::text).toList();
  }
}
