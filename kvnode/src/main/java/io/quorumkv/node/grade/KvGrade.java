package io.quorumkv.node.grade;

import io.quorumkv.node.grade.KvScenario.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scores key-value runs as the seed's KVStoreGrader.sh does (SEED-GRADER.md section 3), on the
 * run's {@link SeedLog} and with the script's own greps: event texts match case-insensitively,
 * keys and values as case-sensitive substrings of the whole record, coordinator and server lines
 * counted together, a record's tick read from its third space-separated field.
 *
 * <ul>
 *   <li>CREATE: {@code create success} records number exactly 4 per {@code CREATE OPERATION}
 *       record, and each created key is in exactly 4. 3 points.
 *   <li>DELETE: {@code delete success} records number exactly 4 per valid {@code DELETE
 *       OPERATION}, each valid key in exactly 4 (3 points); {@code delete fail} records with
 *       {@code invalidKey} number exactly 4 (4 points).
 *   <li>READ and UPDATE: the six operation ticks, sorted, are t1, t2, t3a, t3b, t4, t5. Success
 *       records with the first operation's key and value count in [t1,t2), [t2,t3a), [t3b,t4)
 *       and from t4 (in that order of precedence); 3 or 4 pass, except exactly 3 in [t2,t3a).
 *       Exactly 1 fail record with the key in [t3a,t3b); 3 or 4 fail records with
 *       {@code invalidKey} from t5. 3, 9, 9, 10, 6 and 3 points.
 * </ul>
 */
public final class KvGrade {

  /** One graded test: "TEST 3 PART 1", its description, points, and what was counted. */
  public record Check(String label, String title, int points, int maxPoints, String detail)
      implements Graded.Scored {

    public boolean passed() {
      return points == maxPoints;
    }

    /** The description, the score line as the original prints it, and the count. */
    public List<String> lines() {
      return List.of(label + ": " + title,
          label + " SCORE..................: " + points + " / " + maxPoints,
          "    " + detail);
    }
  }

  /** The grade of one scenario run. */
  public record ScenarioGrade(Kind kind, long seed, List<Check> checks) implements Graded {

    public ScenarioGrade {
      checks = List.copyOf(checks);
    }

    /** The scenario's banner and its checks, as the original prints them. */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add("");
      out.add("############################");
      out.add(" " + kind + " TEST (seed " + seed + ")");
      out.add("############################");
      out.add("");
      for (Check check : checks) {
        out.addAll(check.lines());
      }
      return out;
    }
  }

  private static final int RF_PLUS_ONE = 4;
  private static final int QUORUM_PLUS_ONE = 3;
  private static final Set<Integer> QUORUM_OR_ALL = Set.of(QUORUM_PLUS_ONE, RF_PLUS_ONE);

  private KvGrade() {
  }

  public static ScenarioGrade grade(KvScenario.Result result) {
    return grade(result.kind(), result.seed(), result.log().records());
  }

  /** Grades the records of a dbg.log as a run of {@code kind}. */
  public static ScenarioGrade grade(Kind kind, long seed, List<String> records) {
    List<Check> checks = switch (kind) {
      case CREATE -> List.of(createCheck(records));
      case DELETE -> deleteChecks(records);
      case READ, UPDATE -> failureChecks(kind, records);
    };
    return new ScenarioGrade(kind, seed, checks);
  }

  /** The printable report of several scenarios, ending with "TOTAL GRADE: x / 90". */
  public static List<String> report(List<ScenarioGrade> grades) {
    List<String> out = new ArrayList<>();
    for (ScenarioGrade grade : grades) {
      out.addAll(grade.lines());
    }
    out.add("");
    out.add("TOTAL GRADE: " + grades.stream().mapToInt(ScenarioGrade::points).sum() + " / "
        + grades.stream().mapToInt(ScenarioGrade::maxPoints).sum());
    return out;
  }

  private static Check createCheck(List<String> records) {
    List<String> operations = grepIgnoreCase(records, "CREATE OPERATION");
    List<String> successes = grepIgnoreCase(records, "create success");
    String detail = everyKeyFourTimes(operations, successes, "create success", null);
    return new Check("TEST 1", "Create 3 replicas of every key", detail == null ? 3 : 0, 3,
        detail == null ? successes.size() + " create success records, 4 for each of the "
            + operations.size() + " keys" : detail);
  }

  private static List<Check> deleteChecks(List<String> records) {
    List<String> operations = grepIgnoreCase(records, "DELETE OPERATION");
    List<String> successes = grepIgnoreCase(records, "delete success");
    String detail = everyKeyFourTimes(operations, successes, "delete success",
        KvScenario.INVALID_KEY);
    Check deletes = new Check("TEST 1", "Delete 3 replicas of every key", detail == null ? 3 : 0,
        3, detail == null ? successes.size() + " delete success records, 4 for each of the "
            + (operations.size() - 1) + " valid keys" : detail);
    int invalid = grep(grepIgnoreCase(records, "delete fail"), KvScenario.INVALID_KEY).size();
    Check invalidDelete = new Check("TEST 2", "Attempt delete of an invalid key",
        invalid == RF_PLUS_ONE ? 4 : 0, 4, invalid + " delete fail records with "
            + KvScenario.INVALID_KEY + " (want exactly 4)");
    return List.of(deletes, invalidDelete);
  }

  /**
   * Null when the outcome records number exactly 4 per operation (the invalid key's excepted)
   * and every operation's key is in exactly 4 of them; otherwise what differs.
   */
  private static String everyKeyFourTimes(List<String> operations, List<String> outcomes,
      String what, String except) {
    int valid = except == null ? operations.size() : operations.size() - 1;
    if (outcomes.size() != valid * RF_PLUS_ONE) {
      return outcomes.size() + " " + what + " records for " + valid + " keys (want exactly "
          + valid * RF_PLUS_ONE + ")";
    }
    for (String operation : operations) {
      String key = field(operation, 7);
      if (!key.equals(except) && grep(outcomes, key).size() != RF_PLUS_ONE) {
        return "key " + key + " is in " + grep(outcomes, key).size() + " " + what
            + " records (want exactly 4)";
      }
    }
    return null;
  }

  private static List<Check> failureChecks(Kind kind, List<String> records) {
    String op = kind.name().toLowerCase(Locale.ROOT);
    String noun = kind == Kind.READ ? "Read" : "Update";
    List<String> operations = grepIgnoreCase(records, kind.name() + " OPERATION");
    List<Long> times = operations.stream().map(KvGrade::tick).sorted().toList();
    String[] titles = {
        noun + " a key. Check for correct value being " + past(kind)
            + " at least in quorum of replicas",
        noun + " a key after failing a replica. Check for correct value being " + past(kind)
            + " at least in quorum of replicas",
        noun + " a key after failing two replicas. " + noun + " should fail",
        noun + " the key after allowing stabilization protocol to kick in. Check for correct"
            + " value being " + past(kind) + " at least in quorum of replicas",
        noun + " a key after failing a non-replica. Check for correct value being "
            + past(kind) + " at least in quorum of replicas",
        "Attempt " + op + " of an invalid key"};
    String[] labels = {"TEST 1", "TEST 2", "TEST 3 PART 1", "TEST 3 PART 2", "TEST 4", "TEST 5"};
    int[] maxPoints = {3, 9, 9, 10, 6, 3};
    if (times.size() < 6) {
      List<Check> none = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        none.add(new Check(labels[i], titles[i], 0, maxPoints[i], "only " + times.size()
            + " " + kind + " OPERATION records (the driver stopped early)"));
      }
      return none;
    }
    long t1 = times.get(0);
    long t2 = times.get(1);
    long t3a = times.get(2);
    long t3b = times.get(3);
    long t4 = times.get(4);
    long t5 = times.get(5);
    String key = field(operationAt(operations, t1), 7);
    String value = field(operationAt(operations, t1), 9);
    String quorumFailKey = field(operationAt(operations, t3a), 7);

    int[] successes = new int[4]; // [t1,t2), [t2,t3a), [t3b,t4), from t4
    for (String s : grep(grep(grepIgnoreCase(records, op + " success"), key), value)) {
      long t = tick(s);
      if (t >= t1 && t < t2) {
        successes[0]++;
      } else if (t >= t2 && t < t3a) {
        successes[1]++;
      } else if (t >= t3b && t < t4) {
        successes[2]++;
      } else if (t >= t4) {
        successes[3]++;
      }
    }
    int quorumFails = 0;
    int invalidFails = 0;
    for (String f : grepIgnoreCase(records, op + " fail")) {
      long t = tick(f);
      if (t >= t3a && t < t3b) {
        quorumFails += f.contains(quorumFailKey) ? 1 : 0;
      } else if (t >= t5) {
        invalidFails += f.contains(KvScenario.INVALID_KEY) ? 1 : 0;
      }
    }
    String ok = op + " success records with " + key + " and " + value;
    boolean[] pass = {QUORUM_OR_ALL.contains(successes[0]), successes[1] == QUORUM_PLUS_ONE,
        quorumFails == 1, QUORUM_OR_ALL.contains(successes[2]),
        QUORUM_OR_ALL.contains(successes[3]), QUORUM_OR_ALL.contains(invalidFails)};
    String[] details = {
        successes[0] + " " + ok + " in [" + t1 + "," + t2 + ") (want 3 or 4)",
        successes[1] + " " + ok + " in [" + t2 + "," + t3a + ") (want exactly 3)",
        quorumFails + " " + op + " fail records with " + quorumFailKey + " in [" + t3a + ","
            + t3b + ") (want exactly 1)",
        successes[2] + " " + ok + " in [" + t3b + "," + t4 + ") (want 3 or 4)",
        successes[3] + " " + ok + " from " + t4 + " (want 3 or 4)",
        invalidFails + " " + op + " fail records with " + KvScenario.INVALID_KEY + " from " + t5
            + " (want 3 or 4)"};
    List<Check> checks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      checks.add(new Check(labels[i], titles[i], pass[i] ? maxPoints[i] : 0, maxPoints[i],
          details[i]));
    }
    return checks;
  }

  private static String past(Kind kind) {
    return kind == Kind.READ ? "read" : "updated";
  }

  /** The first operation record logged at {@code tick}. */
  private static String operationAt(List<String> operations, long tick) {
    return operations.stream().filter(o -> tick(o) == tick).findFirst().orElseThrow();
  }

  /** {@code grep -i text}. */
  static List<String> grepIgnoreCase(List<String> records, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return records.stream().filter(r -> r.toLowerCase(Locale.ROOT).contains(lower)).toList();
  }

  /** {@code grep text}, for keys and values. */
  static List<String> grep(List<String> records, String text) {
    return records.stream().filter(r -> r.contains(text)).toList();
  }

  /** {@code cut -d" " -f n} of a record (which begins with a space, so field 2 is the node). */
  static String field(String record, int n) {
    String[] fields = record.split(" ", -1);
    return n <= fields.length ? fields[n - 1] : "";
  }

  /** A record's tick: its third field, "[150]". */
  static long tick(String record) {
    String t = field(record, 3);
    return Long.parseLong(t.substring(1, t.length() - 1));
  }
}
