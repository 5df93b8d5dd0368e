package io.quorumkv.common.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Preference lists: clockwise, wrapping, distinct, cut to n; and the ring's edge cases. */
class HashRingTest {

  private static final Address A = Address.parse("127.0.0.1:7001");
  private static final Address B = Address.parse("127.0.0.1:7002");
  private static final Address C = Address.parse("127.0.0.1:7003");

  /**
   * A hand-checkable ring: three members with one virtual node each. The test reads the three
   * tokens from KeyHash, orders the members clockwise (unsigned) and checks every boundary
   * against that order.
   */
  @Test
  void tinyRingWalksClockwiseFromTheFirstTokenAtOrAfterTheKeyAndWraps() {
    HashRing ring = HashRing.of(List.of(C, A, B), 1);
    List<Address> clockwise = new ArrayList<>(List.of(A, B, C));
    clockwise.sort(Comparator.comparing(m -> KeyHash.of(m + "#0"), Long::compareUnsigned));
    Address first = clockwise.get(0);
    Address second = clockwise.get(1);
    Address third = clockwise.get(2);
    long t1 = KeyHash.of(first + "#0");
    long t2 = KeyHash.of(second + "#0");
    long t3 = KeyHash.of(third + "#0");

    // A token on a virtual node belongs to it; one past it belongs to the next one.
    assertEquals(List.of(first, second, third), ring.preferenceListForToken(t1, 3));
    assertEquals(List.of(second, third, first), ring.preferenceListForToken(t1 + 1, 3));
    assertEquals(List.of(second, third, first), ring.preferenceListForToken(t2, 3));
    assertEquals(List.of(third, first, second), ring.preferenceListForToken(t2 + 1, 3));
    assertEquals(List.of(third, first, second), ring.preferenceListForToken(t3, 3));
    // Past the last token the walk wraps to the first; so do 0 and the top of the circle.
    assertEquals(List.of(first, second, third), ring.preferenceListForToken(t3 + 1, 3));
    assertEquals(List.of(first, second, third), ring.preferenceListForToken(0L, 3));
    assertEquals(List.of(first, second, third), ring.preferenceListForToken(-1L, 3));
    assertEquals(List.of(first, second, third), ring.preferenceListForToken(t1 - 1, 3));
    // n cuts the list; n above the member count gives every member once.
    assertEquals(List.of(second), ring.preferenceListForToken(t2, 1));
    assertEquals(List.of(third, first), ring.preferenceListForToken(t3, 2));
    assertEquals(List.of(second, third, first), ring.preferenceListForToken(t2, 7));
    assertEquals(List.of(), ring.preferenceListForToken(t2, 0));
  }

  @Test
  void keysAndTokensGiveTheSameList() {
    HashRing ring = HashRing.of(List.of(A, B, C), 16);
    for (String key : List.of("", "a", "user:42", "k\u00e9y")) {
      assertEquals(KeyHash.of(key), ring.tokenOf(key));
      assertEquals(ring.preferenceListForToken(ring.tokenOf(key), 3), ring.preferenceList(key, 3));
    }
  }

  /**
   * Against an independent formulation: sort all virtual nodes by their clockwise distance from
   * the token ((vnode - token) mod 2^64, unsigned) and keep the first occurrence of each owner.
   * Tokens cover both halves of the signed range, so a signed comparison would fail here.
   */
  @ParameterizedTest(name = "{0} members x {1} vnodes")
  @CsvSource({"1, 1", "2, 3", "5, 8", "7, 64"})
  void matchesABruteForceClockwiseWalk(int memberCount, int vnodes) {
    List<Address> members = RingBalanceTest.members(memberCount);
    HashRing ring = HashRing.of(members, vnodes);
    SplittableRandom random = new SplittableRandom(7);
    for (int k = 0; k < 2_000; k++) {
      long token = random.nextLong();
      List<long[]> byDistance = new ArrayList<>();
      for (int m = 0; m < members.size(); m++) {
        for (int i = 0; i < vnodes; i++) {
          byDistance.add(new long[] {KeyHash.of(members.get(m) + "#" + i) - token, m});
        }
      }
      byDistance.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
      List<Address> expected = new ArrayList<>();
      for (long[] vnode : byDistance) {
        Address owner = members.get((int) vnode[1]);
        if (!expected.contains(owner) && expected.size() < 3) {
          expected.add(owner);
        }
      }
      assertEquals(expected, ring.preferenceListForToken(token, 3), "token " + token);
    }
  }

  @Test
  void listsAreDistinctAndLongerListsExtendShorterOnes() {
    HashRing ring = HashRing.of(RingBalanceTest.members(5));
    SplittableRandom random = new SplittableRandom(11);
    for (int k = 0; k < 1_000; k++) {
      String key = "k" + random.nextInt();
      List<Address> all = ring.preferenceList(key, 5);
      assertEquals(5, all.stream().distinct().count(), key);
      for (int n = 0; n <= 5; n++) {
        assertEquals(all.subList(0, n), ring.preferenceList(key, n), key + " n=" + n);
      }
    }
  }

  @Test
  void emptyRingHasNoOwners() {
    HashRing ring = HashRing.of(List.of());
    assertTrue(ring.isEmpty());
    assertEquals(List.of(), ring.preferenceList("k", 3));
    assertEquals(Map.of(), ring.ownership());
    assertEquals(RingConfig.DEFAULT_VNODES, ring.vnodesPerMember());
  }

  @Test
  void singleMemberOwnsTheWholeCircle() {
    for (int vnodes : new int[] {1, 4}) {
      HashRing ring = HashRing.of(List.of(B), vnodes);
      assertEquals(List.of(B), ring.preferenceList("anything", 3));
      assertEquals(1.0, ring.ownership().get(B), 1e-12, vnodes + " vnodes");
    }
  }

  @Test
  void ownershipCoversTheCircleOnce() {
    for (int count : new int[] {2, 3, 10, 20}) {
      Map<Address, Double> shares = HashRing.of(RingBalanceTest.members(count)).ownership();
      assertEquals(count, shares.size());
      assertEquals(1.0, shares.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
      assertTrue(shares.values().stream().allMatch(share -> share > 0.0));
    }
  }

  @Test
  void equalInputsGiveEqualRings() {
    HashRing ring = HashRing.of(List.of(A, B, C), 8);
    assertEquals(ring, HashRing.of(List.of(C, B, A, B), 8));
    assertEquals(ring.hashCode(), HashRing.of(List.of(C, B, A), 8).hashCode());
    assertEquals(List.of(A, B, C), List.copyOf(ring.members()));
    assertNotEquals(ring, HashRing.of(List.of(A, B, C), 16));
    assertNotEquals(ring, HashRing.of(List.of(A, B), 8));
  }

  @Test
  void aLargeRingBuildsAndAnswers() {
    // 20 members x 256 vnodes is the largest ring the design expects; it must simply work.
    HashRing ring = HashRing.of(RingBalanceTest.members(20), 256);
    assertEquals(20 * 256, ring.tokens().length);
    assertEquals(3, ring.preferenceList("k", 3).size());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> HashRing.of(List.of(A), 0));
    assertThrows(IllegalArgumentException.class,
        () -> HashRing.of(List.of(A), RingConfig.MAX_VNODES + 1));
    assertThrows(IllegalArgumentException.class, () -> HashRing.of(null, 1));
    List<Address> withNull = new ArrayList<>();
    withNull.add(null);
    assertThrows(IllegalArgumentException.class, () -> HashRing.of(withNull, 1));
    HashRing ring = HashRing.of(List.of(A));
    assertThrows(IllegalArgumentException.class, () -> ring.preferenceList("k", -1));
    assertThrows(IllegalArgumentException.class, () -> new RingConfig(8, 0));
    assertEquals(new RingConfig(128, 3), RingConfig.defaults());
  }
}
