package io.quorumkv.node.storage;

/**
 * The storage engine failed while the node ran (a write or sync the disk refused, a record that
 * no longer decodes). Fatal by design: after a failed fsync the engine cannot say which writes are
 * durable, so the driver sends nothing more (no acknowledgement of an unsynced write can leave)
 * and stops the node, which exits 1. The other replicas keep the data available meanwhile.
 */
public final class StorageFailure extends RuntimeException {

  public StorageFailure(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageFailure(String message) {
    super(message);
  }
}
