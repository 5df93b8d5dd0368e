package io.quorumkv.node;

/**
 * Where a node's countable events go. The node calls it from its loop thread; an implementation
 * stamps each event with its own clock and must not block for long (the real one appends a line to
 * a buffered file).
 */
@FunctionalInterface
public interface EventSink {

  /** Records one event. */
  void accept(NodeEvent event);

  /** A sink that drops everything, for tests that do not count events. */
  EventSink NONE = event -> { };
}
