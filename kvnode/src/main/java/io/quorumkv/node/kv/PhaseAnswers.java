package io.quorumkv.node.kv;

import io.quorumkv.common.wire.Address;

/**
 * The answers to one phase of a {@link PendingRequest}, by replica, in arrival order. A request
 * asks at most its few replicas (3 by default), so two short arrays do what a linked hash map
 * did: a coordinator made three of those per request, with a table and an entry per answer,
 * and every one was garbage a millisecond later. The arrays are made on the first answer.
 *
 * <p>Holds at most {@code capacity} answers: the coordinator counts only the first answer of
 * each of the request's replicas ({@link PendingRequest#answered}), so a further one is a bug.
 */
final class PhaseAnswers<T> {

  private final int capacity;
  private Address[] replicas;
  private Object[] answers;
  private int size;

  PhaseAnswers(int capacity) {
    this.capacity = capacity;
  }

  int size() {
    return size;
  }

  /** Whether {@code replica} answered. */
  boolean has(Address replica) {
    for (int i = 0; i < size; i++) {
      if (replicas[i].equals(replica)) {
        return true;
      }
    }
    return false;
  }

  /** Records the first answer of {@code replica}; a second one is refused. */
  void add(Address replica, T answer) {
    if (has(replica) || size == capacity) {
      throw new IllegalStateException("answer from " + replica + " beyond the " + size
          + " of " + capacity + " replicas held");
    }
    if (replicas == null) {
      replicas = new Address[capacity];
      answers = new Object[capacity];
    }
    replicas[size] = replica;
    answers[size++] = answer;
  }

  /** The {@code i}-th answer in arrival order. */
  @SuppressWarnings("unchecked")
  T answer(int i) {
    if (i >= size) {
      throw new IndexOutOfBoundsException(i + " of " + size);
    }
    return (T) answers[i];
  }

  /** The replica of the {@code i}-th answer in arrival order. */
  Address replica(int i) {
    if (i >= size) {
      throw new IndexOutOfBoundsException(i + " of " + size);
    }
    return replicas[i];
  }
}
