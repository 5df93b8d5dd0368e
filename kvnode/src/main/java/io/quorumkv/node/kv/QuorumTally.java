package io.quorumkv.node.kv;

/**
 * When a coordinator may answer, as one pure function: succeed once {@code required} replicas
 * agreed; fail as soon as the replicas that refused leave too few that could still agree; wait
 * otherwise. The deadline is the caller's business.
 */
final class QuorumTally {

  enum Verdict { WAIT, SUCCEED, FAIL }

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
}
