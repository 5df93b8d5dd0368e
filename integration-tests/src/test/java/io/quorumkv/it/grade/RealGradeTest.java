package io.quorumkv.it.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The seed's two graders on 10 real kvnode processes, every scenario once, at full marks: the
 * same run as {@code scripts/grade.sh --real --ticks 300}. Each run ends at tick 300 instead of
 * 700 to keep the build short (7 runs of 30 s); everything graded happens by then (the last
 * operation is at tick 285, the loss window ends at 300, and a failure at tick 100 must be
 * detected within 3 s). {@code -Dqkv.seed=S} picks the seed (default 1).
 */
class RealGradeTest {

  @Test
  void bothGradersGiveFullMarksOnRealProcesses() throws Exception {
    String seed = System.getProperty("qkv.seed", "1");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    int status = GradeMain.run(new String[] {"--real", "--ticks", "300", "--seed", seed,
        "--kvnode-jar", System.getProperty("kvnode.jar"),
        "--run-dir", Path.of("target", "grade-runs").toString()}, out, out);
    String report = captured.toString(StandardCharsets.UTF_8);
    System.out.println(report);
    assertEquals(0, status, "real-mode grade short of full marks; replay: scripts/grade.sh --real"
        + " --ticks 300 --seed " + seed + "\n" + report);
  }
}
