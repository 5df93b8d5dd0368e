package io.quorumkv.common.wire;

import java.util.List;
import java.util.Objects;

/** Size bounds of the wire protocol, and the checks records use to enforce them. */
public final class Limits {

  /**
   * Largest datagram QuorumKV sends or accepts, in bytes. 8 KiB keeps a full member-list sync of a
   * few dozen members in one datagram and stays far below UDP's 65,507-byte ceiling; on a LAN
   * with a 1500-byte MTU such a datagram is fragmented by IP, which costs a little loss
   * resilience, and in exchange the protocol needs no stream transport. Anything larger is
   * dropped and counted on receive, and refused on send.
   */
  public static final int MAX_DATAGRAM_BYTES = 8192;

  /**
   * Most member facts one message may carry (gossip piggyback or a sync page). Sized so that a
   * full list always fits in {@link #MAX_DATAGRAM_BYTES} when addresses are IPv4 literals: a
   * {@link MemberUpdate} with the longest IPv4 address and the largest numbers encodes to 120
   * bytes, and 64 of them plus the longest envelope take 7,897 bytes (a test holds this). A sender
   * that pages by this number therefore never meets an {@link OversizedMessageException}, unless
   * it uses long host names. {@link StatusReply} rows are longer and must be cut to fit by size.
   */
  public static final int MAX_MEMBERS_PER_MESSAGE = 64;

  /** Deepest JSON nesting accepted; our messages need about 5 levels. */
  public static final int MAX_JSON_DEPTH = 16;

  private Limits() {
  }

  /** Returns an immutable copy of {@code list}, or throws if it is null, too long or holds null. */
  public static <T> List<T> boundedList(String name, List<T> list, int max) {
    Objects.requireNonNull(list, name);
    if (list.size() > max) {
      throw new IllegalArgumentException(name + " has " + list.size() + " entries, at most " + max);
    }
    return List.copyOf(list);
  }
}
