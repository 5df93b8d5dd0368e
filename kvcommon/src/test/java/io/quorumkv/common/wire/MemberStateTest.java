package io.quorumkv.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Member states have fixed wire names; renaming an enum constant must not change the wire. */
class MemberStateTest {

  private static final Map<MemberState, String> WIRE_NAMES = new EnumMap<>(Map.of(
      MemberState.ALIVE, "alive",
      MemberState.SUSPECT, "suspect",
      MemberState.DEAD, "dead",
      MemberState.LEFT, "left"));

  @Test
  void everyStateHasItsShippedWireName() {
    assertEquals(WIRE_NAMES.keySet(), Set.copyOf(Arrays.asList(MemberState.values())),
        "a new state needs a wire name in this table");
    WIRE_NAMES.forEach((state, name) -> {
      assertEquals(name, state.wireName());
      assertEquals(state, MemberState.fromWire(name));
    });
  }

  @Test
  void encodesItsWireNameOnTheWire() {
    Codec codec = new Codec();
    WIRE_NAMES.forEach((state, name) -> {
      Envelope envelope = Envelope.of(WireSamples.NODE, 1,
          new Gossip(List.of(new MemberUpdate(WireSamples.NODE, 1, 2, state))));
      String json = new String(codec.encode(envelope), StandardCharsets.UTF_8);
      assertTrue(json.contains("\"state\":\"" + name + "\""), json);
      assertEquals(new Decoded.Ok(envelope), codec.decode(json.getBytes(StandardCharsets.UTF_8)));
    });
  }

  static List<String> unknownNames() {
    return Arrays.asList(null, "", "ALIVE", "Alive", "alive ", " dead", "zombie", "0");
  }

  @ParameterizedTest
  @MethodSource("unknownNames")
  void unknownNamesAreRefused(String name) {
    assertThrows(IllegalArgumentException.class, () -> MemberState.fromWire(name));
  }

  @Test
  void onlyAliveAndSuspectAreInTheCluster() {
    assertTrue(MemberState.ALIVE.isInCluster());
    assertTrue(MemberState.SUSPECT.isInCluster());
    assertFalse(MemberState.DEAD.isInCluster());
    assertFalse(MemberState.LEFT.isInCluster());
  }
}
