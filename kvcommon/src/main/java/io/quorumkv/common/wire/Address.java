package io.quorumkv.common.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A node's network identity, "host:port". It is both where a node listens and the name it has in
 * every member list, so it is compared by value and ordered (member lists iterate in address order
 * so emulated runs replay bit for bit).
 *
 * <p>On the wire it is the plain string "host:port". The host is an IPv4 literal or a DNS-style
 * name; IPv6 literals are not supported yet because "host:port" would be ambiguous without
 * brackets.
 */
public final class Address implements Comparable<Address> {

  /** Longest host name accepted, as in DNS. */
  public static final int MAX_HOST_LENGTH = 253;

  private final String host;
  private final int port;
  /**
   * The hash, computed once. A final class rather than a record for this field alone: every
   * request is looked up by its client's address in memories of 65,536 entries, and hashing
   * read the host string's own cached hash, one more dependent load (often a cache miss) per
   * lookup; Address.hashCode and the host's hash were about 5% of a loaded loop (JFR).
   */
  private final int hash;

  // Disabled as a Jackson creator: the only wire form is the string "host:port" read by parse,
  // and Jackson would otherwise also bind a JSON object {"host":...,"port":...} through here.
  @JsonCreator(mode = JsonCreator.Mode.DISABLED)
  public Address(String host, int port) {
    if (host == null || host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
      throw new IllegalArgumentException("host must have 1.." + MAX_HOST_LENGTH + " characters");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_';
      if (!ok) {
        throw new IllegalArgumentException("host has an invalid character: '" + c + "'");
      }
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    this.host = host;
    this.port = port;
    // The value the record gave, so that no hash map's iteration order moves.
    this.hash = 31 * host.hashCode() + port;
  }

  /** The host: an IPv4 literal or a DNS-style name. */
  public String host() {
    return host;
  }

  /** The UDP port, 0 to 65535. */
  public int port() {
    return port;
  }

  /**
   * Parses "host:port"; throws {@link IllegalArgumentException} with a readable reason. The port
   * is 1 to 5 ASCII digits without a sign or leading zeros, so that every accepted text is exactly
   * what {@link #toString()} gives back: an address has one spelling on the wire and in logs.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Address parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("address is missing");
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("address must look like host:port, got '" + text + "'");
    }
    return new Address(text.substring(0, colon), parsePort(text.substring(colon + 1)));
  }

  private static int parsePort(String digits) {
    boolean canonical = digits.length() <= 5 && (digits.length() == 1 || digits.charAt(0) != '0');
    int port = 0;
    for (int i = 0; i < digits.length() && canonical; i++) {
      char c = digits.charAt(i);
      canonical = c >= '0' && c <= '9';
      port = port * 10 + (c - '0');
    }
    if (!canonical) {
      throw new IllegalArgumentException("port must be a number in 0..65535, got '" + digits + "'");
    }
    return port;
  }

  @JsonValue
  @Override
  public String toString() {
    return host + ":" + port;
  }

  /**
   * Written out when this was a record, whose generated method dispatches through method
   * handles: under bench load it was the loop's most sampled method (8%, from the member list's,
   * the outbox's and the writer-sharing maps). The hash and the port first: they tell loopback
   * nodes apart without reading the host.
   */
  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof Address a && hash == a.hash && port == a.port && host.equals(a.host));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Address other) {
    if (this == other) {
      // The common case: two replicas' copies of one record name one writer, which the decoder
      // returns as one instance (KnownAddresses); comparing its host with itself walked it.
      return 0;
    }
    int byHost = host.compareTo(other.host);
    return byHost != 0 ? byHost : Integer.compare(port, other.port);
  }
}
