package io.quorumkv.node.storage;

/** The heap engine against the storage contract. */
class MemoryStorageContractTest extends StorageContractTest {

  @Override
  Storage storage() {
    return new MemoryStorage();
  }
}
