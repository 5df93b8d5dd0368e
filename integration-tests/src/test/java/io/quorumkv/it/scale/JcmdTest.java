package io.quorumkv.it.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reading the used bytes out of GC.heap_info, as the serial and G1 collectors print it. */
class JcmdTest {

  @Test
  void sumsTheSerialCollectorsGenerationsNotTheirSpacesNorMetaspace() {
    String serial = """
        5813:
         def new generation   total 29504K, used 5203K [0x00000000fa000000, 0x00000000fc000000)
          eden space 26240K,  19% used [0x00000000fa000000, 0x00000000fa514e78)
          from space 3264K,   0% used [0x00000000fb9a0000, 0x00000000fb9a0000)
          to   space 3264K,   0% used [0x00000000fbcd0000, 0x00000000fbcd0000)
         tenured generation   total 65536K, used 3163K [0x00000000fc000000, 0x0000000100000000)
           the space 65536K,   4% used [0x00000000fc000000, 0x00000000fc316f70)
         Metaspace       used 9593K, committed 9984K, reserved 1114112K
          class space    used 1085K, committed 1280K, reserved 1048576K
        """;
    assertEquals((5203L + 3163L) * 1024, Jcmd.usedBytes(serial));
  }

  @Test
  void readsG1sOneHeapLine() {
    String g1 = """
        777:
         garbage-first heap   total 262144K, used 3456K [0x00000000f0000000, 0x0000000100000000)
          region size 1024K, 1 young (1024K), 0 survivors (0K)
         Metaspace       used 9593K, committed 9984K, reserved 1114112K
        """;
    assertEquals(3456L * 1024, Jcmd.usedBytes(g1));
  }

  @Test
  void refusesOutputWithoutAHeapLine() {
    assertThrows(IllegalArgumentException.class,
        () -> Jcmd.usedBytes("777:\nCommand executed successfully\n"));
  }
}
