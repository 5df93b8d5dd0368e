package io.quorumkv.it;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * One kvnode process a {@link LocalCluster} started, and whether it is paused with SIGSTOP. Only
 * this handle's own process is ever signalled: by its {@link Process} (SIGTERM, SIGKILL) or by
 * its process id ({@link ProcessSignals}: SIGSTOP, SIGCONT). The cluster guards it with its lock.
 */
final class NodeProcess {

  private final int index;
  private final Process process;
  private boolean paused;

  /** {@code process} runs node {@code index} (1-based), which names it in errors. */
  NodeProcess(int index, Process process) {
    this.index = index;
    this.process = process;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  boolean isPaused() {
    return paused;
  }

  /** Writes the line a node booted with {@code --await-start} waits for on standard input. */
  void release() throws IOException {
    OutputStream in = process.getOutputStream();
    in.write('\n');
    in.flush();
  }

  /** SIGSTOP: the process stays, but neither reads nor answers anything until resumed. */
  void pause() throws IOException, InterruptedException {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT, after {@link #pause}. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
    paused = false;
  }

  /** SIGKILL and wait for the process to be gone; returns the wall-clock kill time. */
  long kill() throws InterruptedException {
    paused = false; // SIGKILL ends a stopped process too
    long at = System.currentTimeMillis();
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("node " + index + " survived SIGKILL");
    }
    return at;
  }

  /** SIGKILL without waiting. */
  void killNow() {
    process.destroyForcibly();
  }

  /** SIGTERM: the node leaves gracefully. */
  void terminate() {
    process.destroy();
  }

  /** Waits up to 5 s for the process to end, else SIGKILLs it and waits 5 s more. */
  void awaitExitOrKill() throws InterruptedException {
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private void signal(String name) throws IOException, InterruptedException {
    ProcessSignals.send(pid(), name, "node " + index);
  }
}
