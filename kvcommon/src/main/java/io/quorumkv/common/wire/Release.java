package io.quorumkv.common.wire;

import java.util.List;

/**
 * Tells a former holder of these keys that their new owners have them, so it may drop its copies
 * (if it still does not own them by its own view).
 */
public record Release(List<String> keys) implements Message {

  public Release {
    keys = Limits.boundedList("keys", keys, Handoff.MAX_RECORDS);
  }
}
