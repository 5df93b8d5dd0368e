package io.quorumkv.node;

/**
 * When {@code kvnode --fault-drop-rate} applies: {@code [from, until)} in epoch milliseconds, or,
 * when {@code sinceStart}, in milliseconds since the node started. The relative form lets a
 * harness that starts nodes on a signal ({@code --await-start}) place the window before it knows
 * the wall-clock start time.
 */
public record DropWindow(long from, long until, boolean sinceStart) {

  /** No window: the drop rate applies all the time. */
  public static final DropWindow ALWAYS = new DropWindow(Long.MIN_VALUE, Long.MAX_VALUE, false);

  public DropWindow {
    if (from >= until) {
      throw new IllegalArgumentException("need from < until, got " + from + "," + until);
    }
  }

  /** Parses "FROM,UNTIL" (epoch milliseconds) or "+FROM,+UNTIL" (since the start). */
  static DropWindow parse(String text) throws NodeArgs.UsageException {
    String[] parts = text.split(",", -1);
    if (parts.length == 2) {
      String a = parts[0].trim();
      String b = parts[1].trim();
      boolean relative = a.startsWith("+");
      if (relative == b.startsWith("+")) {
        try {
          return new DropWindow(Long.parseLong(relative ? a.substring(1) : a),
              Long.parseLong(relative ? b.substring(1) : b), relative);
        } catch (IllegalArgumentException e) {
          // NumberFormatException included: reported below.
        }
      }
    }
    throw new NodeArgs.UsageException("--fault-drop-window must be FROM,UNTIL in epoch"
        + " milliseconds, or +FROM,+UNTIL since the start, with FROM < UNTIL, got '" + text + "'");
  }

  /** The window's epoch-millisecond bounds for a node that started at {@code startMillis}. */
  long fromMillis(long startMillis) {
    return sinceStart ? startMillis + from : from;
  }

  long untilMillis(long startMillis) {
    return sinceStart ? startMillis + until : until;
  }

  @Override
  public String toString() {
    if (this.equals(ALWAYS)) {
      return "always";
    }
    return sinceStart ? "+" + from + "..+" + until + " ms since start" : from + ".." + until;
  }
}
