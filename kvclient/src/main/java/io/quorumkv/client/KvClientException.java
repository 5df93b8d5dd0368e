package io.quorumkv.client;

/**
 * A request that did not produce the answer it asked for. The message is meant for a human and
 * names the nodes involved; subclasses tell the causes apart.
 */
public class KvClientException extends Exception {

  public KvClientException(String message) {
    super(message);
  }
}
