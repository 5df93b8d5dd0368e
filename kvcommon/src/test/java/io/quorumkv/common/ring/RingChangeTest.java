package io.quorumkv.common.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consistent hashing properties that make re-replication cheap: a membership change moves
 * only the keys it must, over 10,000 seeded keys.
 */
class RingChangeTest {

  private static final int KEYS = 10_000;
  private static final int N = 3;

  private static List<String> seededKeys(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> keys = new ArrayList<>(KEYS);
    for (int i = 0; i < KEYS; i++) {
      keys.add("key-" + Long.toHexString(random.nextLong()));
    }
    return keys;
  }

  /**
   * Removing a member leaves every list that did not contain it unchanged, and turns every list
   * that did into the old list without it, followed by the next member clockwise: exactly the
   * old (n+1)-list with the removed member taken out.
   */
  @ParameterizedTest(name = "remove member {0} of 10")
  @ValueSource(ints = {0, 4, 9})
  void removingAMemberChangesOnlyTheListsThatContainedIt(int removedIndex) {
    List<Address> members = RingBalanceTest.members(10);
    Address removed = members.get(removedIndex);
    HashRing before = HashRing.of(members);
    List<Address> rest = new ArrayList<>(members);
    rest.remove(removed);
    HashRing after = HashRing.of(rest);

    int changed = 0;
    for (String key : seededKeys(removedIndex)) {
      List<Address> old = before.preferenceList(key, N);
      List<Address> now = after.preferenceList(key, N);
      if (!old.contains(removed)) {
        assertEquals(old, now, key);
      } else {
        changed++;
        List<Address> expected = new ArrayList<>(before.preferenceList(key, N + 1));
        expected.remove(removed);
        assertEquals(expected, now, key);
      }
    }
    // A member sits in about N/m of the lists (3/10 here).
    double fraction = changed / (double) KEYS;
    assertTrue(fraction > 0.2 && fraction < 0.4, "changed fraction " + fraction);
  }

  /**
   * Adding a member to m moves a key's primary only to the newcomer, for about 1/(m+1) of the
   * keys: the newcomer's share of the circle, which must itself be near 1/(m+1).
   */
  @ParameterizedTest(name = "add a member to {0}")
  @ValueSource(ints = {3, 5, 10, 19})
  void addingAMemberMovesOnlyItsShareOfPrimariesToIt(int memberCount) {
    List<Address> members = RingBalanceTest.members(memberCount + 1);
    Address added = members.get(memberCount);
    HashRing before = HashRing.of(members.subList(0, memberCount));
    HashRing after = HashRing.of(members);

    int moved = 0;
    for (String key : seededKeys(memberCount)) {
      Address oldPrimary = before.preferenceList(key, 1).get(0);
      Address newPrimary = after.preferenceList(key, 1).get(0);
      if (!oldPrimary.equals(newPrimary)) {
        assertEquals(added, newPrimary, key);
        moved++;
      }
    }
    double fraction = moved / (double) KEYS;
    double ideal = 1.0 / (memberCount + 1);
    System.out.printf("ring change: adding a member to %d moved %.4f of primaries (ideal %.4f)%n",
        memberCount, fraction, ideal);
    assertEquals(after.ownership().get(added), fraction, 0.01, "moved vs newcomer's share");
    assertEquals(ideal, fraction, 0.35 * ideal, "moved " + fraction + ", ideal " + ideal);
  }
}
