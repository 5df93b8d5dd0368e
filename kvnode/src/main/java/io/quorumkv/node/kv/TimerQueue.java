package io.quorumkv.node.kv;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Timers, each a due time and an id, polled in order of due time and then of id: the order one
 * binary heap of (due, id) pairs gives, at a constant cost for the timers most requests set.
 *
 * <p>Most timers are set a fixed delay from now (the default request timeout, the retransmit
 * interval, the read speculation delay), and a node's now never goes back, so the timers of one
 * delay come due in the order they were set. Each such delay, named when the queue is made, gets
 * a first-in first-out lane, and the earliest timer is the least of the lanes' heads. A timer
 * that would break its lane's order goes to a heap instead: one of a delay without a lane (a
 * client-named timeout), one that ties its lane's last due time with a smaller id (a retransmit
 * of an older request set in the same millisecond as a newer request's), or one set after the
 * clock went back. The lanes therefore only make the common case cheap: whatever the input, the
 * timers come out in exactly the heap's order.
 *
 * <p>There is no cancel: a timer whose work is done stays until it comes due and its owner
 * ignores it. Removing it would move {@link #nextDue()}, and with it the node's wake-ups, which
 * a seeded emulated run replays.
 *
 * <p>Bounded by its owner: every timer leaves when it comes due, so the queue holds only those set
 * within the longest delay in use (see the owner's field comment for how many that is).
 */
final class TimerQueue {

  private final Lane[] lanes;
  /** (due, id) pairs that fit no lane; allocated per timer, but rare. */
  private final PriorityQueue<long[]> heap = new PriorityQueue<>(
      (a, b) -> compare(a[0], a[1], b[0], b[1]));
  private int size;

  /** @param laneDelaysMillis the delays most timers are set with; repeats share one lane */
  TimerQueue(long... laneDelaysMillis) {
    lanes = Arrays.stream(laneDelaysMillis).distinct().mapToObj(Lane::new).toArray(Lane[]::new);
  }

  /** Sets timer {@code id} due at {@code nowMillis + delayMillis}. */
  void add(long nowMillis, long delayMillis, long id) {
    long due = nowMillis + delayMillis;
    size++;
    for (Lane lane : lanes) {
      if (lane.delayMillis == delayMillis) {
        if (lane.takes(due, id)) {
          lane.add(due, id);
          return;
        }
        break;
      }
    }
    heap.add(new long[] {due, id});
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** Timer slots allocated: the lanes' rings and the heap's entries (for a test of bounds). */
  int capacity() {
    int slots = heap.size();
    for (Lane lane : lanes) {
      slots += lane.dues.length;
    }
    return slots;
  }

  /** The earliest timer's due time, or {@code Long.MAX_VALUE} when there is none. */
  long nextDue() {
    Lane lane = earliestLane();
    if (lane != null) {
      return lane.headDue();
    }
    return heap.isEmpty() ? Long.MAX_VALUE : heap.peek()[0];
  }

  /** Removes the earliest timer (the smallest id among equal due times) and returns its id. */
  long poll() {
    if (size == 0) {
      throw new IllegalStateException("no timers");
    }
    size--;
    Lane lane = earliestLane();
    if (lane != null) {
      long id = lane.headId();
      lane.removeHead();
      return id;
    }
    return heap.poll()[1];
  }

  /** The lane whose head comes before every other lane's and the heap's, or null. */
  private Lane earliestLane() {
    Lane best = null;
    for (Lane lane : lanes) {
      if (lane.size > 0 && (best == null
          || compare(lane.headDue(), lane.headId(), best.headDue(), best.headId()) < 0)) {
        best = lane;
      }
    }
    if (best != null && !heap.isEmpty()) {
      long[] top = heap.peek();
      if (compare(top[0], top[1], best.headDue(), best.headId()) < 0) {
        return null;
      }
    }
    return best;
  }

  private static int compare(long dueA, long idA, long dueB, long idB) {
    return dueA != dueB ? Long.compare(dueA, dueB) : Long.compare(idA, idB);
  }

  /**
   * The timers of one delay in the order they come due: a ring of two parallel arrays, grown by
   * doubling, so adding and polling cost no allocation once it has grown to its busiest size.
   */
  private static final class Lane {
    final long delayMillis;
    private long[] dues = new long[16];
    private long[] ids = new long[16];
    private int head;
    int size;

    Lane(long delayMillis) {
      this.delayMillis = delayMillis;
    }

    /** Whether (due, id) comes at or after the last timer, so appending keeps the order. */
    boolean takes(long due, long id) {
      if (size == 0) {
        return true;
      }
      int last = (head + size - 1) & (dues.length - 1);
      return compare(dues[last], ids[last], due, id) <= 0;
    }

    void add(long due, long id) {
      if (size == dues.length) {
        grow();
      }
      int tail = (head + size) & (dues.length - 1);
      dues[tail] = due;
      ids[tail] = id;
      size++;
    }

    long headDue() {
      return dues[head];
    }

    long headId() {
      return ids[head];
    }

    void removeHead() {
      head = (head + 1) & (dues.length - 1);
      size--;
    }

    /** Doubles the ring (its length stays a power of two), the oldest timer first. */
    private void grow() {
      long[] newDues = new long[dues.length * 2];
      long[] newIds = new long[ids.length * 2];
      for (int i = 0; i < size; i++) {
        newDues[i] = dues[(head + i) & (dues.length - 1)];
        newIds[i] = ids[(head + i) & (ids.length - 1)];
      }
      dues = newDues;
      ids = newIds;
      head = 0;
    }
  }
}
