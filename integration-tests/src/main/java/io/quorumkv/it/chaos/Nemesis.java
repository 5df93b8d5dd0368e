package io.quorumkv.it.chaos;

import io.quorumkv.it.LocalCluster;
import io.quorumkv.it.chaos.Disruptions.State;
import io.quorumkv.node.check.Checker.Interval;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The chaos run's nemesis, after Jepsen's: at random (seeded) times it SIGKILLs a node, restarts
 * a killed one (from its data directory, or empty when the nodes keep their records in memory),
 * pauses one with SIGSTOP or resumes a paused one with SIGCONT, and, with records on disk,
 * crashes the whole cluster at once and restarts it; otherwise it never disrupts more than
 * {@link Disruptions#MAX_DISRUPTED} nodes at once (see
 * {@link Disruptions} for when a node counts as disrupted, and for the unsafe intervals). A node
 * that came back stays disrupted until {@link Settling} finds the cluster settled.
 *
 * <p>Driven by {@link #step} from one thread, a few times a second. The seed fixes which action
 * comes next and the gaps between actions; the real timing of processes, and so the outcome of
 * a run, still varies from run to run.
 */
final class Nemesis {

  /** The workload runs this long on a healthy cluster before the first fault. */
  static final long FIRST_ACTION_MILLIS = 2_000;
  static final long MIN_GAP_MILLIS = 1_500;
  static final long MAX_GAP_MILLIS = 4_000;
  /** One in this many actions taken while a node is disrupted disrupts a second one. */
  static final int SECOND_DISRUPTION_ODDS = 3;
  /** How often recovering nodes are checked for being refilled (a status request per node). */
  static final long SETTLE_POLL_MILLIS = 250;

  enum Kind {
    KILL, PAUSE, RESTART, RESUME,
    /** SIGKILL every node at once, then restart them all: only with records on disk. */
    CRASH_ALL
  }

  /** One in this many actions on a healthy durable cluster crashes all of it. */
  static final int CRASH_ALL_ODDS = 4;

  /** One line of the nemesis' log: when (milliseconds since the run began) and what. */
  record Event(long atMillis, String what) {
    /** "t+12.3s kill node 2 (...)". */
    String describe() {
      return String.format(Locale.ROOT, "t+%.1fs %s", atMillis / 1000.0, what);
    }
  }

  private final LocalCluster cluster;
  private final boolean durable;
  private final SplittableRandom random;
  private final LongSupplier clock;
  private final Consumer<String> log;
  private final Disruptions books = new Disruptions();
  private final Settling settling;
  private final Map<Kind, Integer> done = new EnumMap<>(Kind.class);
  private final List<Event> events = new ArrayList<>();
  private long nextActionAt = FIRST_ACTION_MILLIS;
  private long nextPollAt;

  /**
   * @param durable whether the nodes keep their records on disk: a restarted node then comes back
   *     with them, and the whole cluster may be crashed at once
   * @param clock milliseconds since the run began
   * @param log receives one line per action, for progress output
   */
  Nemesis(LocalCluster cluster, boolean durable, SplittableRandom random, LongSupplier clock,
      Consumer<String> log) {
    this.cluster = cluster;
    this.durable = durable;
    this.random = random;
    this.clock = clock;
    this.log = log;
    this.settling = new Settling(cluster);
    for (Kind k : Kind.values()) {
      done.put(k, 0);
    }
  }

  /** Checks recovering nodes when due, then takes the next action when due. */
  void step() throws IOException, InterruptedException {
    pollRecovering();
    if (clock.getAsLong() >= nextActionAt) {
      act();
      nextActionAt = clock.getAsLong() + MIN_GAP_MILLIS
          + random.nextLong(MAX_GAP_MILLIS - MIN_GAP_MILLIS + 1);
    }
  }

  /** The heal: resumes every paused node and restarts every killed one. */
  void heal() throws IOException, InterruptedException {
    for (int i : books.in(State.PAUSED)) {
      resume(i, "heal: ");
    }
    for (int i : books.in(State.KILLED)) {
      restart(i, "heal: ");
    }
  }

  /**
   * After {@link #heal}: polls until every node is healthy and the cluster has been settled for
   * a fresh quiet spell; false when that takes longer than {@code boundMillis}.
   */
  boolean awaitSettled(long boundMillis) throws InterruptedException {
    long deadline = clock.getAsLong() + boundMillis;
    settling.reset();
    while (books.count() > 0 || !settling.poll(up(), clock.getAsLong())) {
      if (clock.getAsLong() > deadline) {
        return false;
      }
      Thread.sleep(SETTLE_POLL_MILLIS); // polling real processes from outside
      pollRecovering();
    }
    return true;
  }

  /** Why the cluster has not settled, as last seen. */
  String settleProblem() {
    return settling.problem();
  }

  /** "node 2 killed, node 4 recovering", or "none". */
  String disrupted() {
    return books.describe();
  }

  /** Every action taken and every node refilled, as logged. */
  List<Event> events() {
    return List.copyOf(events);
  }

  /** How many actions of each kind were taken (the heal's included). */
  Map<Kind, Integer> done() {
    return Map.copyOf(done);
  }

  List<Interval> unsafe() {
    return books.unsafe(clock.getAsLong());
  }

  private void act() throws IOException, InterruptedException {
    List<Kind> candidates = new ArrayList<>();
    // A second disruption only one time in SECOND_DISRUPTION_ODDS: two at once test that no
    // acknowledged write is lost, one at a time (most of the run) that quorum reads are fresh.
    if (books.canDisrupt()
        && (books.count() == 0 || random.nextInt(SECOND_DISRUPTION_ODDS) == 0)) {
      candidates.add(Kind.KILL);
      candidates.add(Kind.PAUSE);
    }
    if (!books.in(State.KILLED).isEmpty()) {
      candidates.add(Kind.RESTART);
    }
    if (!books.in(State.PAUSED).isEmpty()) {
      candidates.add(Kind.RESUME);
    }
    if (durable && books.count() == 0
        && (done.get(Kind.CRASH_ALL) == 0 || random.nextInt(CRASH_ALL_ODDS) == 0)) {
      candidates.add(Kind.CRASH_ALL);
    }
    if (candidates.isEmpty()) {
      return; // nothing to undo yet (recovering nodes), and no second disruption this time
    }
    // Kinds never taken go first, so that even a short run kills, pauses, restarts and resumes.
    List<Kind> fresh = candidates.stream().filter(k -> done.get(k) == 0).toList();
    List<Kind> from = fresh.isEmpty() ? candidates : fresh;
    switch (from.get(random.nextInt(from.size()))) {
      case KILL -> kill(pickHealthy());
      case PAUSE -> pause(pickHealthy());
      case RESTART -> restart(pickFrom(books.in(State.KILLED)), "");
      case RESUME -> resume(pickFrom(books.in(State.PAUSED)), "");
      case CRASH_ALL -> crashAll();
      default -> throw new IllegalStateException();
    }
  }

  private void kill(int i) throws InterruptedException {
    String node = describeNode(i);
    books.disrupt(i, State.KILLED, clock.getAsLong()); // before the signal: the books err safe
    cluster.kill(i);
    record(Kind.KILL, "kill " + node + " with SIGKILL");
  }

  /**
   * Every node SIGKILLed at once (a power cut), then every one restarted from its data
   * directory: nothing acknowledged may be lost, since a replica acknowledges only what its disk
   * log holds.
   */
  private void crashAll() throws IOException, InterruptedException {
    List<Integer> all = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      all.add(i);
    }
    books.disruptAll(all, clock.getAsLong());
    for (int i : all) {
      cluster.kill(i);
    }
    record(Kind.CRASH_ALL, "crash the whole cluster: SIGKILL nodes " + all);
    for (int i : all) {
      cluster.start(i);
      books.recovering(i, clock.getAsLong());
    }
    line("restart every node from its data directory; disrupted: " + books.describe());
  }

  private void pause(int i) throws IOException, InterruptedException {
    String node = describeNode(i);
    books.disrupt(i, State.PAUSED, clock.getAsLong());
    cluster.pause(i);
    record(Kind.PAUSE, "pause " + node + " with SIGSTOP");
  }

  private void restart(int i, String prefix) throws IOException {
    long down = books.disruptedFor(i, clock.getAsLong());
    cluster.start(i);
    books.recovering(i, clock.getAsLong());
    record(Kind.RESTART, prefix + "restart node " + i + " (pid " + cluster.pid(i) + "), "
        + (durable ? "from its data directory" : "empty") + ", after " + seconds(down)
        + " down");
  }

  private void resume(int i, String prefix) throws IOException, InterruptedException {
    long down = books.disruptedFor(i, clock.getAsLong());
    cluster.resume(i);
    books.recovering(i, clock.getAsLong());
    record(Kind.RESUME, prefix + "resume node " + i + " with SIGCONT after " + seconds(down)
        + " paused");
  }

  /** Marks recovering nodes healthy once the cluster has settled. */
  private void pollRecovering() {
    List<Integer> recovering = books.in(State.RECOVERING);
    long now = clock.getAsLong();
    if (recovering.isEmpty() || now < nextPollAt) {
      return;
    }
    nextPollAt = now + SETTLE_POLL_MILLIS;
    if (!settling.poll(up(), now)) {
      return;
    }
    long at = clock.getAsLong(); // after the answers: the books err safe
    boolean wasUnsafe = !books.canDisrupt();
    for (int i : recovering) {
      long disruptedFor = books.disruptedFor(i, at);
      books.recovered(i, at);
      boolean over = wasUnsafe && books.canDisrupt();
      wasUnsafe &= !over;
      line("node " + i + " refilled: the cluster settled; it was disrupted for "
          + seconds(disruptedFor) + (over ? "; unsafe interval over" : ""));
    }
  }

  private void record(Kind kind, String what) {
    done.merge(kind, 1, Integer::sum);
    settling.reset();
    boolean unsafeBegins = (kind == Kind.KILL || kind == Kind.PAUSE || kind == Kind.CRASH_ALL)
        && !books.canDisrupt();
    line(what + "; disrupted: " + books.describe()
        + (unsafeBegins ? "; unsafe interval begins" : ""));
  }

  private void line(String what) {
    events.add(new Event(clock.getAsLong(), what));
    log.accept(what);
  }

  /** Nodes running and not paused: the ones that should see each other alive. */
  private List<Integer> up() {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      if (cluster.running(i) && !cluster.paused(i)) {
        out.add(i);
      }
    }
    return out;
  }

  private int pickHealthy() {
    List<Integer> healthy = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      if (books.state(i) == null) {
        healthy.add(i);
      }
    }
    return pickFrom(healthy);
  }

  private int pickFrom(List<Integer> nodes) {
    return nodes.get(random.nextInt(nodes.size()));
  }

  private String describeNode(int i) {
    return "node " + i + " (" + cluster.address(i) + ", pid " + cluster.pid(i) + ")";
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
