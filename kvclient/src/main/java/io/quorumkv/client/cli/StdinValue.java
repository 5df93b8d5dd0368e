package io.quorumkv.client.cli;

import io.quorumkv.common.wire.KvLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a value given as "-" from standard input: all of it, as UTF-8, with exactly one trailing
 * "\n" removed (the one {@code echo} or a here-document adds); a second newline, or a "\r"
 * before it, stays part of the value. The read is bounded: input longer than any valid value is
 * refused without reading the rest.
 */
final class StdinValue {

  /** The longest valid value, its newline, and one byte to tell a longer input apart. */
  private static final int READ_LIMIT = KvLimits.MAX_VALUE_BYTES + 2;

  private StdinValue() {
  }

  static String read(InputStream in) throws CommandException {
    byte[] bytes;
    try {
      bytes = in.readNBytes(READ_LIMIT);
    } catch (IOException e) {
      throw new CommandException(ExitCode.USAGE,
          "cannot read the value from standard input: " + e.getMessage());
    }
    if (bytes.length == READ_LIMIT) {
      throw new CommandException(ExitCode.USAGE, "the value on standard input is longer than the "
          + KvLimits.MAX_VALUE_BYTES + " bytes allowed");
    }
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\n') {
      length--;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CommandException(ExitCode.USAGE, "the value on standard input is not UTF-8");
    }
  }
}
