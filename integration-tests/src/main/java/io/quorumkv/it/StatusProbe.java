package io.quorumkv.it;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.StatusReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Asks the nodes of a {@link LocalCluster} from outside, as a client would, for their status and
 * member lists; a node that does not answer (killed, paused, not yet up) gives an empty answer
 * rather than an exception, since the callers poll until the cluster settles.
 */
final class StatusProbe implements AutoCloseable {

  private final KvClient client;

  /** A probe whose client knows {@code first}; it asks whichever node it is told to. */
  StatusProbe(Address first) throws IOException {
    this.client = KvClient.open(List.of(first), new ClientConfig(300, 2));
  }

  Optional<StatusReply> status(Address node) {
    try {
      return Optional.of(client.status(node));
    } catch (KvClientException e) {
      return Optional.empty();
    }
  }

  Optional<Map<Address, MemberStatus>> view(Address node) {
    return status(node).map(s -> {
      Map<Address, MemberStatus> view = new TreeMap<>();
      for (MemberStatus m : s.members()) {
        view.put(m.address(), m);
      }
      return view;
    });
  }

  /** True when {@code status} shows exactly {@code expected} as alive, and nobody suspect. */
  static boolean seesExactly(StatusReply status, List<Address> expected) {
    List<Address> alive = new ArrayList<>();
    for (MemberStatus m : status.members()) {
      if (m.state() == MemberState.SUSPECT) {
        return false;
      }
      if (m.state() == MemberState.ALIVE) {
        alive.add(m.address());
      }
    }
    return alive.stream().sorted().toList().equals(expected.stream().sorted().toList());
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
