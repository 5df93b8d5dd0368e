package io.quorumkv.node.grade;

import java.util.List;

/**
 * A graded scenario run as both graders score it: pass/fail checks, each worth points, summed.
 * The check types differ (each prints as its original grader does); the arithmetic does not.
 */
public interface Graded {

  /** One check's points earned and possible. */
  public interface Scored {
    int points();

    int maxPoints();
  }

  List<? extends Scored> checks();

  default int points() {
    return checks().stream().mapToInt(Scored::points).sum();
  }

  default int maxPoints() {
    return checks().stream().mapToInt(Scored::maxPoints).sum();
  }

  default boolean isFullMarks() {
    return points() == maxPoints();
  }
}
