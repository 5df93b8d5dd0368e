package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Counter names are read by operators and scripts, so they are pinned like wire names. */
class RejectReasonTest {

  @Test
  void everyReasonHasItsCounterName() {
    Map<RejectReason, String> expected = new EnumMap<>(Map.of(
        RejectReason.EMPTY, "wire.rejected.empty",
        RejectReason.OVERSIZED, "wire.rejected.oversized",
        RejectReason.MALFORMED, "wire.rejected.malformed",
        RejectReason.UNSUPPORTED_VERSION, "wire.rejected.unsupported-version",
        RejectReason.UNKNOWN_TYPE, "wire.rejected.unknown-type",
        RejectReason.INVALID_FIELDS, "wire.rejected.invalid-fields"));
    assertEquals(RejectReason.values().length, expected.size(), "a new reason needs a row here");
    expected.forEach((reason, name) -> assertEquals(name, reason.counterName()));
  }
}
