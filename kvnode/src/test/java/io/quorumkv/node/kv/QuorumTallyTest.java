package io.quorumkv.node.kv;

import static io.quorumkv.node.kv.QuorumTally.Verdict.FAIL;
import static io.quorumkv.node.kv.QuorumTally.Verdict.SUCCEED;
import static io.quorumkv.node.kv.QuorumTally.Verdict.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a coordinator may answer: asked, required, agreed, refused -> verdict. */
class QuorumTallyTest {

  @ParameterizedTest(name = "{0} asked, {1} required, {2} agreed, {3} refused -> {4}")
  @CsvSource({
      "3, 2, 0, 0, WAIT",
      "3, 2, 1, 0, WAIT",
      "3, 2, 2, 0, SUCCEED",
      "3, 2, 2, 1, SUCCEED",
      "3, 2, 1, 1, WAIT", // the third may still agree
      "3, 2, 0, 1, WAIT",
      "3, 2, 0, 2, FAIL", // one left cannot make two
      "3, 2, 1, 2, FAIL",
      "3, 3, 2, 0, WAIT",
      "3, 3, 2, 1, FAIL", // ALL: any refusal fails
      "3, 1, 1, 0, SUCCEED", // ONE
      "3, 1, 0, 2, WAIT",
      "3, 1, 0, 3, FAIL",
      "2, 2, 1, 0, WAIT", // fewer replicas than N exist
  })
  void verdicts(int asked, int required, int agreed, int refused, QuorumTally.Verdict verdict) {
    assertEquals(verdict, QuorumTally.judge(asked, required, agreed, refused));
  }

  @Test
  void tallyNamesTheMostFrequentRefusal() {
    QuorumTally.Tally t = QuorumTally.tally(3, 2,
        answers(KvStatus.NOT_FOUND, KvStatus.OK, KvStatus.NOT_FOUND));
    assertEquals(new QuorumTally.Tally(FAIL, KvStatus.NOT_FOUND, 2), t);
    assertEquals(new QuorumTally.Tally(SUCCEED, null, 0),
        QuorumTally.tally(3, 2, answers(KvStatus.OK, KvStatus.OK)));
    assertEquals(new QuorumTally.Tally(WAIT, KvStatus.EXISTS, 1),
        QuorumTally.tally(3, 2, answers(KvStatus.EXISTS, KvStatus.OK)));
    // A tie goes to the first status in declaration order.
    assertEquals(new QuorumTally.Tally(FAIL, KvStatus.NOT_FOUND, 1),
        QuorumTally.tally(2, 2, answers(KvStatus.EXISTS, KvStatus.NOT_FOUND)));
  }

  @Test
  void tallyWithoutRefusals() {
    assertEquals(new QuorumTally.Tally(WAIT, null, 0), QuorumTally.tally(3, 2, answers(KvStatus.OK)));
    assertEquals(new QuorumTally.Tally(WAIT, null, 0), QuorumTally.tally(3, 2, answers()));
  }

  /** The statuses as answers of replicas 127.0.0.1:7001, :7002 and so on, in that order. */
  private static PhaseAnswers<KvStatus> answers(KvStatus... statuses) {
    PhaseAnswers<KvStatus> out = new PhaseAnswers<>(3);
    for (int i = 0; i < statuses.length; i++) {
      out.add(new Address("127.0.0.1", 7001 + i), statuses[i]);
    }
    return out;
  }
}
