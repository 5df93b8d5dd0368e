package io.quorumkv.node.storage;

import io.quorumkv.common.wire.KeyRecord;
import java.util.List;
import java.util.Map;

/**
 * A storage that hands every call to another, for a subclass to override the few it watches or
 * changes (as Guava's forwarding collections do). Forwards the sync calls too, so that wrapping
 * a durable engine never hides its unsynced writes from the loop.
 */
public abstract class ForwardingStorage implements Storage {

  private final Storage inner;

  protected ForwardingStorage(Storage inner) {
    this.inner = inner;
  }

  @Override
  public KeyRecord get(String key) {
    return inner.get(key);
  }

  @Override
  public void put(KeyRecord record) {
    inner.put(record);
  }

  @Override
  public void remove(String key) {
    inner.remove(key);
  }

  @Override
  public int size() {
    return inner.size();
  }

  @Override
  public List<KeyRecord> scan(String afterKey, int limit) {
    return inner.scan(afterKey, limit);
  }

  @Override
  public long highestTimestamp() {
    return inner.highestTimestamp();
  }

  @Override
  public Map<String, Long> figures() {
    return inner.figures();
  }

  @Override
  public boolean hasUnsyncedWrites() {
    return inner.hasUnsyncedWrites();
  }

  @Override
  public void sync() {
    inner.sync();
  }
}
