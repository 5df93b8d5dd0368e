package io.quorumkv.client.cli;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.client.NoNodeAnsweredException;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.StatusReply;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code wait-members N [--within MS]}: polls every node given with --nodes until each one sees
 * exactly N alive members and none suspect, then prints the first node's member table. Scripts
 * use it to wait for a cluster to form or heal with one JVM instead of one per poll.
 *
 * <p>Each round asks the nodes in order with a single attempt each and stops at the first one that
 * is not there yet; a node that does not answer is simply not there yet (it may be starting). The
 * wait is bounded by --within; the last poll may overrun it by at most one attempt timeout.
 */
final class WaitMembersCommand implements Command {

  /** Default of --within: long enough for a local cluster of JVMs to start and converge. */
  static final long DEFAULT_WITHIN_MILLIS = 30_000;

  /** Longest --within accepted: one hour. */
  static final long MAX_WITHIN_MILLIS = 3_600_000;

  /**
   * Pause between two polling rounds. SWIM on the local preset changes state every 100-200 ms, so
   * polling faster would only add load to the nodes.
   */
  static final long POLL_INTERVAL_MILLIS = 100;

  @Override
  public String name() {
    return "wait-members";
  }

  @Override
  public String synopsis() {
    return "wait-members N [--within MS]";
  }

  @Override
  public String summary() {
    return "wait until every node sees N alive members";
  }

  @Override
  public List<String> details() {
    return List.of(
        "Polls every node of --nodes until each one sees exactly N members alive and none",
        "suspect, then prints the first node's status. Exits " + ExitCode.UNAVAILABLE
            + " if that does not happen",
        "within --within MS (default " + DEFAULT_WITHIN_MILLIS + "). A node that does not answer "
            + "is polled again.");
  }

  @Override
  public Options options() {
    return new Options().addOption(Option.builder().longOpt("within").hasArg().argName("MS")
        .desc("give up after this many milliseconds").build());
  }

  @Override
  public int run(Invocation invocation)
      throws CommandException, KvClientException, IOException {
    invocation.expectArgs(1, synopsis());
    int wanted = (int) Invocation.parseLong(
        "N", invocation.args().get(0), 1, Limits.MAX_MEMBERS_PER_MESSAGE);
    long within = invocation.longOption("within", DEFAULT_WITHIN_MILLIS, 1, MAX_WITHIN_MILLIS);
    // One attempt per poll: the polling itself is the retry, and a short attempt keeps the
    // deadline honest.
    ClientConfig pollConfig = new ClientConfig(
        Math.min(invocation.config().attemptTimeoutMillis(), within), 1);
    long deadline = System.nanoTime() + within * 1_000_000L;
    try (KvClient client = KvClient.open(invocation.nodes(), pollConfig)) {
      while (true) {
        StatusReply firstReply = null;
        String notReady = null;
        for (Address node : invocation.nodes()) {
          StatusReply reply;
          try {
            reply = client.status(node);
          } catch (NoNodeAnsweredException e) {
            notReady = node + " did not answer";
            break;
          }
          if (firstReply == null) {
            firstReply = reply;
          }
          notReady = whyNotReady(node, reply, wanted);
          if (notReady != null) {
            break;
          }
        }
        if (notReady == null) {
          if (invocation.json()) {
            Json.print(invocation.out(), StatusFormat.json(firstReply));
          } else {
            invocation.out().println(StatusFormat.table(firstReply));
          }
          return ExitCode.OK;
        }
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
          throw new CommandException(ExitCode.UNAVAILABLE, "wait-members: the cluster did not "
              + "reach " + wanted + " alive members within " + within + " ms; last seen: "
              + notReady);
        }
        pause(Math.min(POLL_INTERVAL_MILLIS, (remainingNanos + 999_999) / 1_000_000));
      }
    }
  }

  /** Null when {@code reply} shows exactly {@code wanted} alive members and none suspect. */
  static String whyNotReady(Address node, StatusReply reply, int wanted) {
    Map<MemberState, Integer> counts = StatusFormat.countByState(reply);
    int alive = counts.getOrDefault(MemberState.ALIVE, 0);
    int suspect = counts.getOrDefault(MemberState.SUSPECT, 0);
    if (alive == wanted && suspect == 0) {
      return null;
    }
    return node + " sees " + StatusFormat.describeCounts(counts);
  }

  /**
   * Waits between polling rounds. This is the one deliberate pause of the CLI: the cluster changes
   * on its own clock, and nothing here can be notified of it.
   */
  private static void pause(long millis) throws CommandException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandException(ExitCode.UNAVAILABLE, "wait-members: interrupted");
    }
  }
}
