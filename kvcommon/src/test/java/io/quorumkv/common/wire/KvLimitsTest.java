package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The key and value limits count UTF-8 bytes exactly, around the shortcut for short strings. */
class KvLimitsTest {

  @Test
  void keysAreCountedInUtf8BytesOnBothSidesOfTheShortcut() {
    assertEquals("key must not be empty", KvLimits.problemWith("", "v"));
    assertNull(KvLimits.problemWith("k".repeat(256), "v"));
    assertEquals("key is 257 bytes, at most 256 allowed",
        KvLimits.problemWith("k".repeat(257), "v"));
    // 85 three-byte chars (255 bytes) take the shortcut; 86 (258 bytes) must be counted.
    assertNull(KvLimits.problemWith("\u20ac".repeat(85), "v"));
    assertEquals("key is 258 bytes, at most 256 allowed",
        KvLimits.problemWith("\u20ac".repeat(86), "v"));
    // Four-byte chars are two UTF-16 units each: 64 of them are 128 units and 256 bytes.
    assertNull(KvLimits.problemWith("\ud83d\ude00".repeat(64), "v"));
    assertEquals("key is 260 bytes, at most 256 allowed",
        KvLimits.problemWith("\ud83d\ude00".repeat(65), "v"));
  }

  @Test
  void valuesAreCountedInUtf8BytesOnBothSidesOfTheShortcut() {
    assertNull(KvLimits.problemWith("k", ""));
    assertNull(KvLimits.problemWith("k", "v".repeat(4096)));
    assertEquals("value is 4097 bytes, at most 4096 allowed",
        KvLimits.problemWith("k", "v".repeat(4097)));
    assertNull(KvLimits.problemWith("k", "\u20ac".repeat(1365)));
    assertEquals("value is 4098 bytes, at most 4096 allowed",
        KvLimits.problemWith("k", "\u20ac".repeat(1366)));
    assertNull(KvLimits.problemWith("k", "\u00e9".repeat(2048)));
    assertEquals("value is 4098 bytes, at most 4096 allowed",
        KvLimits.problemWith("k", "\u00e9".repeat(2049)));
  }
}
