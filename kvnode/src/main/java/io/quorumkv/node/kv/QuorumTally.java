package io.quorumkv.node.kv;

import io.quorumkv.common.wire.KvStatus;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * When a coordinator may answer, as one pure function: succeed once {@code required} replicas
 * agreed; fail as soon as the replicas that refused leave too few that could still agree; wait
 * otherwise. The deadline is the caller's business.
 */
final class QuorumTally {

  enum Verdict { WAIT, SUCCEED, FAIL }

  /** A verdict on write answers, with the most frequent refusal (null when none) and its count. */
  record Tally(Verdict verdict, KvStatus refusal, int refusals) {
  }

  /** The tallies without a refusal, by verdict (its ordinal), made once. */
  private static final Tally[] NO_REFUSALS = Arrays.stream(Verdict.values())
      .map(v -> new Tally(v, null, 0)).toArray(Tally[]::new);

  private QuorumTally() {
  }

  /**
   * @param asked replicas the request went to
   * @param required replicas that must agree
   * @param agreed replicas that answered in agreement (for a read: answered at all)
   * @param refused replicas that answered with a refusal
   */
  static Verdict judge(int asked, int required, int agreed, int refused) {
    if (agreed >= required) {
      return Verdict.SUCCEED;
    }
    int outstanding = asked - agreed - refused;
    return agreed + outstanding < required ? Verdict.FAIL : Verdict.WAIT;
  }

  /**
   * Judges write answers (OK agrees, any other status refuses); ties go to the first status.
   * Runs on every write answer, so answers without a refusal (nearly all) cost no map.
   */
  static Tally tally(int asked, int required, PhaseAnswers<KvStatus> answers) {
    int agreed = 0;
    TreeMap<KvStatus, Integer> refusals = null;
    for (int i = 0; i < answers.size(); i++) {
      KvStatus s = answers.answer(i);
      if (s == KvStatus.OK) {
        agreed++;
      } else {
        if (refusals == null) {
          refusals = new TreeMap<>();
        }
        refusals.merge(s, 1, Integer::sum);
      }
    }
    Verdict verdict = judge(asked, required, agreed, answers.size() - agreed);
    if (refusals == null) {
      return NO_REFUSALS[verdict.ordinal()];
    }
    KvStatus most = null;
    for (Map.Entry<KvStatus, Integer> e : refusals.entrySet()) {
      if (most == null || e.getValue() > refusals.get(most)) {
        most = e.getKey();
      }
    }
    return new Tally(verdict, most, refusals.get(most));
  }
}
