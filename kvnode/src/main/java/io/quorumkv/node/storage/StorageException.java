package io.quorumkv.node.storage;

/**
 * A data directory that cannot be used: missing rights, another node's, another format's, corrupt,
 * in use by another process. The message is one line meant for an operator; the daemon prints it
 * and exits 1, and nothing in the directory was changed.
 */
public final class StorageException extends Exception {

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
