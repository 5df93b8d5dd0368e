package io.quorumkv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which java the scripts run (scripts/lib/common.sh, qkv_require_java), against fake JDKs: a
 * launcher that is a shell script and a release file naming its version, as a real JDK has.
 */
class JavaChoiceTest {

  private static final Path COMMON =
      Path.of(System.getProperty("qkv.repo", ".."), "scripts", "lib", "common.sh");

  @TempDir
  Path dir;

  private Path jvmRoot;
  private Path pathDir;
  private Path toolDir;

  @BeforeEach
  void fakeJdks() throws IOException {
    jvmRoot = Files.createDirectories(dir.resolve("jvm"));
    pathDir = Files.createDirectories(dir.resolve("bin"));
    // The tools common.sh uses, on a PATH of their own: /usr/bin has this machine's real java.
    toolDir = Files.createDirectories(dir.resolve("tools"));
    for (String tool : new String[] {"dirname", "readlink", "sed"}) {
      Files.createSymbolicLink(toolDir.resolve(tool), Path.of("/usr/bin", tool));
    }
    jdk(jvmRoot.resolve("jdk-11"), "11.0.2");
    jdk(jvmRoot.resolve("jdk-21"), "21.0.5");
    Files.createSymbolicLink(pathDir.resolve("java"), jdk(dir.resolve("path-jdk"), "17.0.15"));
  }

  @Test
  void theNewestJdkOf17OrLaterIsChosen() throws Exception {
    Result r = choose(Map.of());
    assertEquals(0, r.status, r.err);
    assertEquals(jvmRoot.resolve("jdk-21/bin/java").toString(), r.out.lines().findFirst().get());
    assertTrue(r.out.contains("java 21 from " + jvmRoot.resolve("jdk-21").toRealPath()), r.out);
  }

  @Test
  void thePathsJavaWinsATieAndOlderJdksAreSkipped() throws Exception {
    deleteTree(jvmRoot.resolve("jdk-21"));
    Result r = choose(Map.of());
    assertEquals(0, r.status, r.err);
    assertEquals(pathDir.resolve("java").toString(), r.out.lines().findFirst().get());
  }

  @Test
  void javaHomeAndQkvJavaChooseOverTheNewest() throws Exception {
    Path home = dir.resolve("path-jdk");
    Result byHome = choose(Map.of("JAVA_HOME", home.toString()));
    assertEquals(home.resolve("bin/java").toString(), byHome.out.lines().findFirst().get());
    Result byQkv = choose(Map.of("JAVA_HOME", home.toString(),
        "QKV_JAVA", jvmRoot.resolve("jdk-21/bin/java").toString()));
    assertEquals(jvmRoot.resolve("jdk-21/bin/java").toString(),
        byQkv.out.lines().findFirst().get());
  }

  @Test
  void aChosenJavaOlderThan17OrMissingIsRefusedInOneLine() throws Exception {
    Result old = choose(Map.of("JAVA_HOME", jvmRoot.resolve("jdk-11").toString()));
    assertEquals(1, old.status);
    assertEquals("t: " + jvmRoot.resolve("jdk-11/bin/java") + " is Java 11 (from QKV_JAVA or"
        + " JAVA_HOME); QuorumKV needs 17 or newer", old.err.strip());
    Result missing = choose(Map.of("QKV_JAVA", dir.resolve("nowhere/java").toString()));
    assertEquals(1, missing.status);
    assertTrue(missing.err.startsWith("t: " + dir.resolve("nowhere/java") + " is not an"),
        missing.err);
  }

  @Test
  void noJavaAtAllIsRefusedInOneLine() throws Exception {
    Files.delete(pathDir.resolve("java"));
    deleteTree(jvmRoot.resolve("jdk-21"));
    Result r = choose(Map.of());
    assertEquals(1, r.status);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertTrue(r.err.startsWith("t: no java 17 or newer on the PATH or under " + jvmRoot), r.err);
  }

  /** A fake JDK at {@code home}; returns its launcher. */
  private static Path jdk(Path home, String version) throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"fake\"\nJAVA_VERSION=\""
        + version + "\"\n");
    Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return java;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private record Result(int status, String out, String err) {}

  /** Sources common.sh in a shell whose PATH holds only the fake java and the tools. */
  private Result choose(Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c",
        "source \"$1\" && qkv_require_java t && echo \"$QKV_JAVA\" && qkv_java_describe",
        "test", COMMON.toString());
    pb.environment().remove("JAVA_HOME");
    pb.environment().remove("QKV_JAVA");
    pb.environment().put("PATH", pathDir + ":" + toolDir);
    pb.environment().put("QKV_JVM_ROOT", jvmRoot.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the shell did not finish in 30 s");
    }
    return new Result(p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
