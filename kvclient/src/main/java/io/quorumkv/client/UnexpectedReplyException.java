package io.quorumkv.client;

/**
 * A node answered the request id with a message of the wrong type: a protocol mismatch between
 * this client and that node, never a transient condition.
 */
public final class UnexpectedReplyException extends KvClientException {

  public UnexpectedReplyException(String message) {
    super(message);
  }
}
