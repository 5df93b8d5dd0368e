package io.quorumkv.node.grade;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.emul.TimedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The seed's key-value test driver (its Application's insert, deleteTest, readTest and
 * updateTest; SEED-GRADER.md section 2), run against a {@link Testbed}: the emulated network or
 * real processes. 10 nodes start at tick floor(0.25 i); at tick 100 every one of 100 random keys
 * is created through a random live node; from tick 150 the scenario's operations follow at the
 * original ticks, each through a fresh random live node and each logged first as
 * {@code <OP> OPERATION KEY: k VALUE: v}; victims are chosen from the key's replicas as a random
 * live node names them (the tertiary first) and crash for good. {@link KvGrade} then scores the
 * run's {@link SeedLog} with the original arithmetic.
 *
 * <p>The seed drives every choice (keys, values, coordinators, the node asked for replicas), so
 * an emulated run replays exactly; a real run makes the same choices of keys and values, and
 * draws coordinators the same way, but its rings (other ports) and timing differ.
 */
public final class KvScenario {

  /** The four graded scenarios, by the original's CRUD_TEST names. */
  public enum Kind {
    CREATE, DELETE, READ, UPDATE;

    /** The scenario's name in lower case, as {@code --scenario} takes it. */
    public String scenarioName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Nodes in the cluster (the original's MAX_NNB). */
  public static final int NODES = 10;
  /** Milliseconds per tick, simulated or wall-clock. */
  public static final long TICK_MILLIS = 100;
  /** Ticks in a run of the original: 0..699. */
  public static final int TOTAL_TICKS = 700;
  /** The last tick at which the driver acts; a run must go on past it for the answers. */
  public static final int LAST_OPERATION_TICK = 285;
  /** Keys created at {@link #INSERT_TICK} (NUMBER_OF_INSERTS) and their length (KEY_LENGTH). */
  public static final int KEYS = 100;
  public static final int KEY_LENGTH = 5;
  public static final int INSERT_TICK = 100;
  /** T1, then T2 = T1 + 25 (FIRST_FAIL_TIME), T3a = T2 + 50 (STABILIZE_TIME), T3b = T3a + 50, and
   *  T4 = T5 = T3b + 10 (LAST_FAIL_TIME). */
  public static final int TEST_TICK = 150;
  public static final int FIRST_FAIL_TICK = TEST_TICK + 25;
  public static final int QUORUM_FAIL_TICK = FIRST_FAIL_TICK + 50;
  public static final int STABILIZED_TICK = QUORUM_FAIL_TICK + 50;
  public static final int LAST_FAIL_TICK = STABILIZED_TICK + 10;
  /** Keys deleted in the DELETE scenario: the 2nd to the 51st in sorted order. */
  public static final int DELETED_KEYS = 50;
  public static final String INVALID_KEY = "invalidKey";
  public static final String NEW_VALUE = "newValue";
  public static final String INVALID_VALUE = "invalidValue";

  /** Mixed into the seed for {@link #choices}: "KVScenar". */
  private static final long CHOICES_SALT = 0x4b56_5363_656e_6172L;

  private static final String KEY_CHARS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /**
   * A finished run: the driver's operations, the nodes' events, and notes on what the driver
   * saw (replica lists, victims), which a failed check prints.
   */
  public record Result(Kind kind, long seed, int endTick, List<SeedLog.Operation> operations,
      List<TimedEvent> events, List<String> notes, List<String> answers) {

    public Result {
      Objects.requireNonNull(kind, "kind");
      operations = List.copyOf(operations);
      events = List.copyOf(events);
      notes = List.copyOf(notes);
      answers = List.copyOf(answers);
    }

    /** The run as the original's dbg.log. */
    public SeedLog log() {
      return SeedLog.of(operations, events, TICK_MILLIS);
    }
  }

  private final Kind kind;
  private final Testbed bed;
  private final RandomGenerator random;
  private final List<SeedLog.Operation> operations = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private KvScenario(Kind kind, Testbed bed, RandomGenerator random) {
    this.kind = kind;
    this.bed = bed;
    this.random = random;
  }

  /**
   * The driver's choices for {@code seed}: a stream of their own, the same in both modes and
   * independent of the emulated network's randoms (which the same seed also roots).
   */
  public static RandomGenerator choices(long seed) {
    return new SplittableRandom(seed ^ CHOICES_SALT);
  }

  /**
   * Runs {@code kind} on {@code bed} through tick {@code endTick} - 1 (the original ends at 700),
   * with the seed's {@link #choices}.
   */
  public static Result run(Kind kind, long seed, Testbed bed, int endTick) {
    return run(kind, seed, bed, choices(seed), endTick);
  }

  /** As {@link #run(Kind, long, Testbed, int)}, with {@code random} for every choice. */
  public static Result run(Kind kind, long seed, Testbed bed, RandomGenerator random,
      int endTick) {
    if (endTick <= LAST_OPERATION_TICK || endTick > TOTAL_TICKS) {
      throw new IllegalArgumentException("endTick must be within " + (LAST_OPERATION_TICK + 1)
          + ".." + TOTAL_TICKS);
    }
    KvScenario driver = new KvScenario(kind, bed, random);
    driver.drive();
    bed.awaitTick(endTick);
    List<TimedEvent> events = new ArrayList<>();
    for (TimedEvent e : bed.events()) {
      if (e.timeMillis() >= 0 && e.timeMillis() < endTick * TICK_MILLIS) {
        events.add(e);
      }
    }
    return new Result(kind, seed, endTick, driver.operations, events, driver.notes,
        bed.answers());
  }

  /** The 100 keys and their values, sorted by key: the original's testKVPairs. */
  public static TreeMap<String, String> dataSet(RandomGenerator random) {
    TreeMap<String, String> pairs = new TreeMap<>();
    while (pairs.size() < KEYS) {
      StringBuilder key = new StringBuilder(KEY_LENGTH);
      for (int i = 0; i < KEY_LENGTH; i++) {
        key.append(KEY_CHARS.charAt(random.nextInt(KEY_CHARS.length())));
      }
      pairs.putIfAbsent(key.toString(), "value" + random.nextInt(100));
    }
    return pairs;
  }

  private void drive() {
    for (int i = 0; i < NODES; i++) {
      at(i / 4); // floor(0.25 * i), the original STEP_RATE
      bed.start(i);
    }
    TreeMap<String, String> pairs = dataSet(random);
    at(INSERT_TICK);
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      request(KvOp.CREATE, e.getKey(), e.getValue());
    }
    List<String> keys = new ArrayList<>(pairs.keySet());
    switch (kind) {
      case CREATE -> {
      }
      case DELETE -> {
        at(TEST_TICK);
        for (String key : keys.subList(1, 1 + DELETED_KEYS)) {
          request(KvOp.DELETE, key, "");
        }
        request(KvOp.DELETE, INVALID_KEY, "");
      }
      case READ -> failureTests(KvOp.READ, keys.get(0), pairs.get(keys.get(0)), "");
      case UPDATE -> failureTests(KvOp.UPDATE, keys.get(1), NEW_VALUE, INVALID_VALUE);
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  /**
   * T1 to T5 of readTest / updateTest: the operation with all replicas up, after one replica
   * crashed, after two crashed (it must fail), after stabilization, after a non-replica crashed,
   * and on a key that does not exist.
   */
  private void failureTests(KvOp op, String key, String value, String invalidValue) {
    at(TEST_TICK);
    request(op, key, value);

    at(FIRST_FAIL_TICK);
    List<Address> replicas = replicas(key);
    if (replicas.size() < 2) {
      abort("fewer than 2 replicas of " + key);
      return;
    }
    crashReplicas(replicas, 1);
    request(op, key, value);

    at(QUORUM_FAIL_TICK);
    replicas = replicas(key);
    if (replicas.size() <= 2) {
      abort("2 or fewer replicas of " + key);
      return;
    }
    crashReplicas(replicas, 2);
    request(op, key, value);

    at(STABILIZED_TICK);
    request(op, key, value);

    at(LAST_FAIL_TICK);
    replicas = replicas(key);
    for (int i = 0; i < NODES; i++) {
      if (bed.isLive(i) && !replicas.contains(bed.nodes().get(i))) {
        crash(i);
        break;
      }
    }
    request(op, key, value);
    request(op, INVALID_KEY, invalidValue);
  }

  /** Crashes {@code count} live replicas, the tertiary first, then lower ones. */
  private void crashReplicas(List<Address> replicas, int count) {
    int crashed = 0;
    for (int r = Math.min(2, replicas.size() - 1); r >= 0 && crashed < count; r--) {
      int index = bed.nodes().indexOf(replicas.get(r));
      if (index >= 0 && bed.isLive(index)) {
        crash(index);
        crashed++;
      }
    }
  }

  private List<Address> replicas(String key) {
    int asker = randomLiveNode();
    List<Address> replicas = bed.replicasOf(asker, key);
    notes.add("tick " + tick() + ": " + bed.nodes().get(asker) + " names the replicas of " + key
        + " " + replicas);
    return replicas;
  }

  private void crash(int index) {
    notes.add("tick " + tick() + ": crash " + bed.nodes().get(index));
    bed.crash(index);
  }

  private void request(KvOp op, String key, String value) {
    int coordinator = randomLiveNode();
    operations.add(new SeedLog.Operation(tick(), bed.nodes().get(coordinator), op, key, value));
    // A read's OPERATION record names the value it should find; the request carries none.
    bed.submit(coordinator, op, key, op.carriesValue() ? value : "");
  }

  /** A fresh random live node, as the original draws one (again while the one drawn failed). */
  private int randomLiveNode() {
    for (int tries = 0; tries < 10_000; tries++) {
      int n = random.nextInt(NODES);
      if (bed.isLive(n)) {
        return n;
      }
    }
    throw new IllegalStateException("no live node");
  }

  /** The original driver exits here (and the remaining tests score nothing). */
  private void abort(String why) {
    notes.add("tick " + tick() + ": driver exits: " + why);
  }

  private void at(int tick) {
    bed.awaitTick(tick);
  }

  /** The tick now: the one scheduled, or a later one where a real cluster was slow to answer. */
  private long tick() {
    return bed.nowMillis() / TICK_MILLIS;
  }
}
