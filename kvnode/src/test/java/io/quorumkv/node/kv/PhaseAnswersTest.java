package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import org.junit.jupiter.api.Test;

class PhaseAnswersTest {

  private static final Address A = new Address("127.0.0.1", 7001);
  private static final Address B = new Address("127.0.0.1", 7002);
  private static final Address C = new Address("127.0.0.1", 7003);

  @Test
  void keepsAnswersInArrivalOrder() {
    PhaseAnswers<String> answers = new PhaseAnswers<>(3);
    assertEquals(0, answers.size());
    assertFalse(answers.has(A));
    answers.add(C, "third replica first");
    answers.add(A, "first replica second");
    assertEquals(2, answers.size());
    assertTrue(answers.has(new Address("127.0.0.1", 7003)), "by equality, not identity");
    assertFalse(answers.has(B));
    assertEquals(C, answers.replica(0));
    assertEquals("third replica first", answers.answer(0));
    assertEquals(A, answers.replica(1));
    assertEquals("first replica second", answers.answer(1));
    assertThrows(IndexOutOfBoundsException.class, () -> answers.answer(2));
  }

  @Test
  void refusesASecondAnswerOfAReplicaAndAnswersBeyondItsReplicas() {
    PhaseAnswers<String> answers = new PhaseAnswers<>(2);
    answers.add(A, "a");
    assertThrows(IllegalStateException.class, () -> answers.add(A, "again"));
    answers.add(B, "b");
    assertThrows(IllegalStateException.class, () -> answers.add(C, "c"));
    assertEquals(2, answers.size());
  }
}
