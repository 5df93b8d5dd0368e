package io.quorumkv.client;

import java.util.List;

/**
 * Every node that was asked stayed silent (or refused) for all its attempts, for example
 * "no node answered: 127.0.0.1:7001 (3 attempts of 1000 ms each)".
 */
public final class NoNodeAnsweredException extends KvClientException {

  private final List<String> perNode;

  /**
   * @param perNode one short account per node asked, in the order asked, such as
   *     "127.0.0.1:7001 (3 attempts of 1000 ms each)" or "127.0.0.1:7002 (port unreachable)"
   */
  public NoNodeAnsweredException(List<String> perNode) {
    super("no node answered: " + String.join(", ", perNode));
    this.perNode = List.copyOf(perNode);
  }

  /** What happened with each node, in the order they were asked. */
  public List<String> perNode() {
    return perNode;
  }
}
