package io.quorumkv.node.net;

import io.quorumkv.node.Node;
import io.quorumkv.node.storage.StorageFailure;

/**
 * {@link UdpEventLoop}'s sends under group commit ({@link io.quorumkv.node.storage.SyncPolicy#GROUP}):
 * while the node's storage holds writes not yet synced, everything queued but the membership
 * messages is held until {@link #commit} at the end of the iteration, when one sync covers all
 * the iteration's writes; an outbox half full syncs and sends early. So no answer leaves before
 * the writes it acknowledges are on the disk, and failure detection does not wait for the disk.
 * A {@link StorageFailure} from the sync discards everything queued and is thrown on. Used only by
 * the loop thread.
 */
final class GroupCommit {

  private final Node node;
  private final DatagramSender sender;

  GroupCommit(Node node, DatagramSender sender) {
    this.node = node;
    this.sender = sender;
  }

  /**
   * Sends what the node queued, unless its storage has writes not yet synced: then all but the
   * membership messages wait for {@link #commit} at the end of the iteration, or are synced and
   * sent now once the outbox is half full (so group commit never makes the outbox drop
   * datagrams). Membership messages acknowledge no write, so they leave at once: an ack held
   * behind the rest of a loaded iteration (up to {@link UdpEventLoop#MAX_RECEIVES_PER_ITERATION}
   * requests) and its sync can miss its prober's timeout (75 ms locally), and a live node looks
   * dead.
   */
  void drain() {
    Outbox outbox = node.outbox();
    if (node.hasUnsyncedWrites()) {
      if (outbox.size() < outbox.capacity() / 2) {
        sender.send(outbox.drainSyncFree());
        return;
      }
      syncStorage();
    }
    sender.drain(outbox);
  }

  /** Syncs the storage if it has unsynced writes, then sends everything held. */
  void commit() {
    if (node.hasUnsyncedWrites()) {
      syncStorage();
    }
    sender.drain(node.outbox());
  }

  private void syncStorage() {
    try {
      node.syncStorage();
    } catch (StorageFailure e) {
      node.outbox().drain(); // answers for writes that may not be durable: never sent
      throw e;
    }
  }
}
