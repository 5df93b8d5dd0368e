package io.quorumkv.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The on-disk record layout: its exact bytes, and every kind of damage refused by name. */
class RecordCodecTest {

  private static final KeyRecord SAMPLE = new KeyRecord("k", "0123456789", false,
      new Version(0x0102030405060708L, new Address("127.0.0.1", 7001)));

  @Test
  void theLayoutIsCompactAndExact() throws Exception {
    byte[] bytes = RecordCodec.value(SAMPLE);
    byte[] expected = {
        1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x1b, 0x59, 9,
        '1', '2', '7', '.', '0', '.', '0', '.', '1',
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'};
    assertArrayEquals(expected, bytes);
    assertEquals(32, bytes.length);
    assertEquals(SAMPLE, RecordCodec.decode("k", bytes));
    assertEquals(33, RecordCodec.storedBytes(SAMPLE), "with the key");
    KeyRecord tomb = new KeyRecord("k", "", true, SAMPLE.version());
    assertEquals(1, RecordCodec.value(tomb)[1]);
    assertEquals(tomb, RecordCodec.decode("k", RecordCodec.value(tomb)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0  | 2    | record format 2, this kvnode reads format 1",
      "1  | 6    | unknown record flags 6",
      "1  | 1    | a tombstone has no value",
      "12 | 0    | writer host length 0 does not fit",
      "12 | 100  | writer host length 100 does not fit",
      "13 | 32   | host has an invalid character",
      "22 | -1   | value is not UTF-8",
  })
  void damageIsRefusedWithItsReason(int offset, int value, String reason) {
    byte[] bytes = RecordCodec.value(SAMPLE);
    bytes[offset] = (byte) value;
    RecordCodec.CorruptRecordException e = assertThrows(
        RecordCodec.CorruptRecordException.class, () -> RecordCodec.decode("k", bytes));
    assertEquals(reason, e.getMessage().substring(0, Math.min(reason.length(),
        e.getMessage().length())));
  }

  @Test
  void truncatedRecordsAreRefused() {
    byte[] bytes = RecordCodec.value(SAMPLE);
    for (int length : new int[] {0, 1, 13, 16}) {
      assertThrows(RecordCodec.CorruptRecordException.class,
          () -> RecordCodec.decode("k", Arrays.copyOf(bytes, length)));
    }
  }

  @Test
  void keysAreStrictUtf8() {
    assertThrows(RecordCodec.CorruptRecordException.class,
        () -> RecordCodec.key(new byte[] {(byte) 0xc3}));
    assertThrows(IllegalArgumentException.class, () -> RecordCodec.key("\udfff"));
  }
}
