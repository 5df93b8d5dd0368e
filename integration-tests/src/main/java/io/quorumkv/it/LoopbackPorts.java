package io.quorumkv.it;

import io.quorumkv.common.wire.Address;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Loopback UDP ports for the nodes of a {@link LocalCluster}. */
final class LoopbackPorts {

  private LoopbackPorts() {
  }

  /**
   * {@code count} free loopback UDP ports: ephemeral ones chosen by the kernel, or, when the
   * {@code qkv.it.ports} property names a range ({@code -Dqkv.it.ports=7111-7199}, for a machine
   * whose users share out port ranges), the first free ones of that range.
   */
  static List<Integer> free(int count) throws IOException {
    List<Integer> ports = new ArrayList<>();
    String range = System.getProperty("qkv.it.ports");
    if (range != null && !range.isBlank()) {
      String[] bounds = range.trim().split("-");
      int from = Integer.parseInt(bounds[0]);
      int to = Integer.parseInt(bounds[bounds.length - 1]);
      for (int port = from; port <= to && ports.size() < count; port++) {
        if (isFree(port)) {
          ports.add(port);
        }
      }
      if (ports.size() < count) {
        throw new IllegalStateException("qkv.it.ports=" + range + " has fewer than " + count
            + " free UDP ports");
      }
      return ports;
    }
    for (int i = 0; i < count; i++) {
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        ports.add(s.getLocalPort());
      }
    }
    return ports;
  }

  /** The loopback addresses of {@code ports}; throws when one of them is in use. */
  static List<Address> addresses(List<Integer> ports) {
    List<Address> addresses = new ArrayList<>();
    for (int port : ports) {
      if (!isFree(port)) {
        throw new IllegalStateException("UDP port " + port + " on 127.0.0.1 is in use");
      }
      addresses.add(new Address("127.0.0.1", port));
    }
    return addresses;
  }

  static boolean isFree(int port) {
    try (DatagramSocket s = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
