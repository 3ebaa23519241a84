package io.streamml.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code java} process started from a folder of jars, with its stdout and stderr in one log file
 * that stays after the test for reading, and whose tail failure messages can quote.
 */
final class LoggedJavaProcess implements AutoCloseable {

  private static final long STOP_SECONDS = 30;

  private final String name;
  private final Process process;
  private final Path log;

  private LoggedJavaProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java <jvmFlags> -cp <libDir>/* <mainClass> <args>} with the test's own JDK. */
  static LoggedJavaProcess start(
      String name,
      List<String> jvmFlags,
      Path libDir,
      String mainClass,
      List<String> args,
      Path log)
      throws IOException {
    return start(name, jvmFlags, libDir, mainClass, args, Map.of(), log);
  }

  /** As above, with {@code environment} added to this JVM's variables. */
  static LoggedJavaProcess start(
      String name,
      List<String> jvmFlags,
      Path libDir,
      String mainClass,
      List<String> args,
      Map<String, String> environment,
      Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(TestJvmFlags.FLAGS);
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(libDir.resolve("*").toString());
    command.add(mainClass);
    command.addAll(args);
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    return new LoggedJavaProcess(name, process, log);
  }

  /**
   * Waits for the process to exit by itself and returns its exit code; fails with the log's tail
   * (after stopping it) if it runs longer than {@code timeout}.
   */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      String tail = tail(80);
      close();
      throw new AssertionError(name + " did not finish within " + timeout + ":\n" + tail);
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The last {@code lines} lines of the log, headed by the process name and its state. */
  String tail(int lines) {
    List<String> all;
    try {
      all = Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String state = process.isAlive() ? "running" : "exited " + process.exitValue();
    return "--- "
        + name
        + " ("
        + state
        + "), last lines of "
        + log
        + " ---\n"
        + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Kills the process at once (SIGKILL: no shutdown hook runs), as a crash would end it. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /**
   * Asks the process and its children to stop (SIGTERM, so shutdown hooks clean up), and kills
   * whatever is left after {@value #STOP_SECONDS} s. Returns once all of them have exited.
   */
  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        handle.destroyForcibly();
        handle.onExit().join();
      }
    }
  }
}
