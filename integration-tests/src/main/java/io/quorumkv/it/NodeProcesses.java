package io.quorumkv.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kvnode processes a {@link LocalCluster} runs, by node number (1-based): started through its
 * {@link NodeLauncher}, killed, paused, resumed and stopped through each one's
 * {@link NodeProcess} handle, and the shutdown hook that SIGKILLs them all when a tool's JVM
 * exits.
 *
 * <p>Starting and signalling are synchronized, so that {@link #killAllNow} may run on another
 * thread (a shutdown hook) while a driver still uses the cluster: once it ran, nothing new is
 * started.
 */
final class NodeProcesses {

  private final NodeLauncher launcher;
  /** The nodes started and not killed since, in ascending order of their numbers. */
  private final Map<Integer, NodeProcess> processes = new TreeMap<>();
  private final List<Long> startedPids = new ArrayList<>();
  private boolean closed;
  /** The shutdown hook of {@link #killOnShutdown}, or null. */
  private Thread shutdownHook;

  NodeProcesses(NodeLauncher launcher) {
    this.launcher = launcher;
  }

  synchronized void start(int i, List<String> extraFlags) throws IOException {
    if (closed) {
      throw new IllegalStateException("cluster is closed: node " + i + " not started");
    }
    if (running(i)) {
      throw new IllegalStateException("node " + i + " is already running");
    }
    Process p = launcher.launch(i, extraFlags);
    processes.put(i, new NodeProcess(i, p));
    startedPids.add(p.pid());
  }

  /**
   * Node {@code i}'s handle, or null. Not synchronized: its caller, {@link LocalCluster#release},
   * never took the cluster's lock to write the start line.
   */
  NodeProcess get(int i) {
    return processes.get(i);
  }

  synchronized long kill(int i) throws InterruptedException {
    return processes.remove(i).kill();
  }

  synchronized void pause(int i) throws IOException, InterruptedException {
    if (!running(i) || paused(i)) {
      throw new IllegalStateException("node " + i + " is not running unpaused");
    }
    processes.get(i).pause();
  }

  synchronized void resume(int i) throws IOException, InterruptedException {
    if (!paused(i)) {
      throw new IllegalStateException("node " + i + " is not paused");
    }
    processes.get(i).resume();
  }

  synchronized boolean paused(int i) {
    NodeProcess p = processes.get(i);
    return p != null && p.isPaused();
  }

  synchronized long pid(int i) {
    NodeProcess p = processes.get(i);
    if (p == null) {
      throw new IllegalStateException("node " + i + " is not running");
    }
    return p.pid();
  }

  synchronized List<Long> startedPids() {
    return List.copyOf(startedPids);
  }

  synchronized boolean running(int i) {
    NodeProcess p = processes.get(i);
    return p != null && p.isAlive();
  }

  synchronized void killAll() throws InterruptedException {
    for (int i : List.copyOf(processes.keySet())) {
      kill(i);
    }
  }

  synchronized void killAllNow() {
    closed = true;
    for (NodeProcess p : processes.values()) {
      p.killNow();
    }
  }

  /** Resumes the paused nodes, SIGTERMs every node, waits, and SIGKILLs those still there. */
  synchronized void close() throws IOException, InterruptedException {
    closed = true;
    for (NodeProcess p : processes.values()) {
      if (p.isPaused()) {
        p.resume();
      }
    }
    for (NodeProcess p : processes.values()) {
      p.terminate();
    }
    for (NodeProcess p : processes.values()) {
      p.awaitExitOrKill();
    }
    processes.clear();
  }

  synchronized void killOnShutdown(String tool) {
    shutdownHook = new Thread(() -> {
      System.err.println(tool + ": interrupted: killing every node this run started");
      killAllNow();
    }, tool + "-kill-nodes");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Removes the hook of {@link #killOnShutdown}, if there is one. */
  void removeShutdownHook() {
    Thread hook;
    synchronized (this) {
      hook = shutdownHook;
      shutdownHook = null;
    }
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs (or ran) anyway
      }
    }
  }
}
