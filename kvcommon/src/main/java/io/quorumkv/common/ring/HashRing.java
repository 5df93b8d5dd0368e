package io.quorumkv.common.ring;

import io.quorumkv.common.wire.Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable consistent-hash ring over a set of members, each placed at
 * {@code vnodesPerMember} virtual nodes.
 *
 * <p>Theory of operation. Tokens are unsigned 64-bit positions on a circle of 2^64 points
 * (compared with {@link Long#compareUnsigned}). Member {@code a}'s i-th virtual node sits at
 * {@code KeyHash.of(a + "#" + i)}; a key sits at {@code KeyHash.of(key)}. A key belongs to the
 * first virtual node clockwise at or after its token, wrapping past the top of the circle to the
 * smallest token. Its preference list is the sequence of distinct members met walking clockwise
 * from there, cut to {@code n}. Two virtual nodes on the same token (a hash collision, in practice
 * never) are ordered by address, so the ring is a pure function of its members and
 * {@code vnodesPerMember}: every node and client that builds it from the same inputs agrees.
 *
 * <p>The ring knows nothing about liveness: callers build it from the members they consider
 * live, so the preference list is "the first n distinct live members clockwise". Rings built from
 * equal inputs are {@link #equals equal}, which lets a caller cheaply notice that a membership
 * change did not change the ring.
 *
 * <p>Consistent hashing properties the tests pin down: removing a member changes only the
 * preference lists that contained it (it is deleted from them and the next member clockwise is
 * appended); adding a member changes a key's primary only to the new member, and moves about
 * 1/(m+1) of the keys.
 *
 * <p>Cost: building hashes and sorts {@code members * vnodesPerMember} tokens (20 x 256 in a few
 * milliseconds warm, dominated by hashing; see {@link KeyHash}), so rebuild on membership changes,
 * not per request; a lookup is one hash, a binary search and an array read (the lists from
 * each virtual node are computed once per ring, on first use, for the length asked).
 * Instances are immutable and safe to share between threads.
 */
public final class HashRing {

  /** Preference lists up to this long find distinct owners by scanning the list itself. */
  private static final int SMALL_LIST = 8;
  /**
   * Rings of at most this many virtual nodes keep a table of preference lists (about 100 bytes
   * an entry: a few MB at most); larger ones (hundreds of members) walk the ring per lookup.
   */
  private static final int MAX_TABULATED = 65_536;


  /** Full circle, 2^64, as a double: the denominator of ownership fractions. */
  private static final double CIRCLE = 0x1p64;

  private static final Comparator<Vnode> CLOCKWISE = (a, b) -> {
    int byToken = Long.compareUnsigned(a.token, b.token);
    return byToken != 0 ? byToken : a.owner.compareTo(b.owner);
  };

  private final SortedSet<Address> members;
  private final int vnodesPerMember;
  /** Sorted clockwise (unsigned), ties by owner address; parallel to {@link #owners}. */
  private final long[] tokens;
  private final Address[] owners;
  /** Preference lists by starting virtual node, for the last list length asked; built lazily. */
  private volatile Lists lists;

  private record Lists(int n, List<Address>[] byStart) {}

  private record Vnode(long token, Address owner) {}

  private HashRing(SortedSet<Address> members, int vnodesPerMember) {
    this.members = Collections.unmodifiableSortedSet(members);
    this.vnodesPerMember = vnodesPerMember;
    List<Vnode> vnodes = new ArrayList<>(members.size() * vnodesPerMember);
    for (Address member : members) {
      String prefix = member + "#";
      for (int i = 0; i < vnodesPerMember; i++) {
        vnodes.add(new Vnode(KeyHash.of(prefix + i), member));
      }
    }
    vnodes.sort(CLOCKWISE);
    this.tokens = new long[vnodes.size()];
    this.owners = new Address[vnodes.size()];
    for (int i = 0; i < vnodes.size(); i++) {
      tokens[i] = vnodes.get(i).token;
      owners[i] = vnodes.get(i).owner;
    }
  }

  /**
   * A ring over {@code members} (duplicates are ignored; the collection is copied) with
   * {@code vnodesPerMember} virtual nodes each, 1 to {@link RingConfig#MAX_VNODES}.
   */
  public static HashRing of(Collection<Address> members, int vnodesPerMember) {
    if (members == null) {
      throw new IllegalArgumentException("members are missing");
    }
    RingConfig.checkVnodes(vnodesPerMember);
    SortedSet<Address> copy = new TreeSet<>();
    for (Address member : members) {
      if (member == null) {
        throw new IllegalArgumentException("members contain a null address");
      }
      copy.add(member);
    }
    return new HashRing(copy, vnodesPerMember);
  }

  /** A ring over {@code members} with {@link RingConfig#DEFAULT_VNODES} virtual nodes each. */
  public static HashRing of(Collection<Address> members) {
    return of(members, RingConfig.DEFAULT_VNODES);
  }

  /** The key's position on the circle. */
  public long tokenOf(String key) {
    return KeyHash.of(key);
  }

  /**
   * The first {@code min(n, members)} distinct members clockwise from the key's token: the
   * primary owner first, then the replicas in order. Empty for an empty ring or {@code n == 0}.
   */
  public List<Address> preferenceList(String key, int n) {
    return preferenceListForToken(KeyHash.of(key), n);
  }

  /** As {@link #preferenceList(String, int)}, from a token instead of a key. */
  public List<Address> preferenceListForToken(long token, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    int wanted = Math.min(n, members.size());
    if (wanted == 0) {
      return List.of();
    }
    int start = firstAtOrAfter(token);
    if (wanted > SMALL_LIST || tokens.length > MAX_TABULATED) {
      return walk(start, wanted); // a table would be large; such rings and lists are rare
    }
    Lists lists = this.lists;
    if (lists == null || lists.n != wanted) {
      lists = new Lists(wanted, walkAll(wanted));
      this.lists = lists; // racy but benign: every thread computes the same immutable table
    }
    return lists.byStart[start];
  }

  /**
   * The preference lists of {@code wanted} members starting at each virtual node: a lookup is
   * then a binary search and an array read, with no allocation. This runs for every request and
   * for every key a background walk visits, so walking the ring each time showed in profiles.
   */
  private List<Address>[] walkAll(int wanted) {
    @SuppressWarnings("unchecked")
    List<Address>[] byStart = new List[tokens.length];
    for (int start = 0; start < tokens.length; start++) {
      byStart[start] = walk(start, wanted);
    }
    return byStart;
  }

  /** The first {@code wanted} distinct members clockwise from virtual node {@code start}. */
  private List<Address> walk(int start, int wanted) {
    List<Address> found = new ArrayList<>(wanted);
    Set<Address> seen = wanted > SMALL_LIST ? new HashSet<>() : null;
    // Bounded by one lap: every member owns at least one token, so one lap finds them all.
    for (int step = 0; step < tokens.length && found.size() < wanted; step++) {
      Address owner = owners[(start + step) % tokens.length];
      if (seen != null ? seen.add(owner) : !found.contains(owner)) {
        found.add(owner);
      }
    }
    return List.copyOf(found);
  }

  /**
   * The fraction of the circle (0.0 to 1.0) for which each member is the primary owner, in
   * address order; the fractions sum to 1.0 (up to rounding) unless the ring is empty.
   */
  public Map<Address, Double> ownership() {
    Map<Address, Double> shares = new TreeMap<>();
    for (Address member : members) {
      shares.put(member, 0.0);
    }
    if (tokens.length == 0) {
      return Collections.unmodifiableMap(shares);
    }
    for (int i = 0; i < tokens.length; i++) {
      // Token i owns the arc (previous token, token i]; for i = 0 the arc wraps past the top.
      long previous = tokens[(i + tokens.length - 1) % tokens.length];
      double arc = unsignedToDouble(tokens[i] - previous);
      if (i == 0 && tokens[0] == previous) {
        arc = CIRCLE; // all tokens on one point (a single vnode): the first owns the whole circle
      }
      shares.merge(owners[i], arc / CIRCLE, Double::sum);
    }
    return Collections.unmodifiableMap(shares);
  }

  /** The members, in address order. */
  public Set<Address> members() {
    return members;
  }

  public int vnodesPerMember() {
    return vnodesPerMember;
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  /** Index of the first token at or after {@code token} clockwise, wrapping to 0 past the top. */
  private int firstAtOrAfter(long token) {
    int low = 0;
    int high = tokens.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (Long.compareUnsigned(tokens[mid], token) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low == tokens.length ? 0 : low;
  }

  private static double unsignedToDouble(long value) {
    return value >= 0 ? value : ((value >>> 1) | (value & 1)) * 2.0;
  }

  /** Equal when built from the same members and vnodes: the tokens follow from those. */
  @Override
  public boolean equals(Object other) {
    return other instanceof HashRing ring
        && vnodesPerMember == ring.vnodesPerMember
        && members.equals(ring.members);
  }

  @Override
  public int hashCode() {
    return 31 * members.hashCode() + vnodesPerMember;
  }

  @Override
  public String toString() {
    return "HashRing{members=" + members.size() + ", vnodesPerMember=" + vnodesPerMember
        + ", tokens=" + tokens.length + "}";
  }

  /** The sorted tokens, for tests that compute expected answers by hand. */
  long[] tokens() {
    return Arrays.copyOf(tokens, tokens.length);
  }
}
