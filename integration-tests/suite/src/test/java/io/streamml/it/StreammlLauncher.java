package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./streamml <args>} as users do, in its own process, with a time limit. */
final class StreammlLauncher {

  /** What a finished run printed and returned. */
  static final class Run {
    final int exitCode;
    final String output;

    Run(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }
  }

  /** A run left going in the background, until {@link #kill}. */
  static final class Background {
    private final Process process;
    private final Path log;

    private Background(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    boolean isAlive() {
      return process.isAlive();
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Waits for the run to end by itself and returns its exit code. */
    int waitFor(long timeoutSeconds) throws IOException, InterruptedException {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError("not done in " + timeoutSeconds + " s:\n" + kill());
      }
      return process.exitValue();
    }

    /** Kills the run and its children at once (SIGKILL: no shutdown hook, no final commit). */
    String kill() throws IOException, InterruptedException {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      String output = output();
      Files.deleteIfExists(log);
      return output;
    }
  }

  private StreammlLauncher() {}

  /**
   * Starts {@code ./streamml <args>} and returns at once; the caller must {@link Background#kill}.
   */
  static Background start(String... args) throws IOException {
    Path log = Files.createTempFile("streamml-it", ".log");
    return new Background(builder(log, args).start(), log);
  }

  private static ProcessBuilder builder(Path log, String... args) {
    List<String> command = new ArrayList<>();
    command.add(root().resolve("streamml").toString());
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .put(
            "STREAMML_JAVA_OPTS",
            TestJvmFlags.streammlJavaOpts(System.getenv("STREAMML_JAVA_OPTS")));
    return builder;
  }

  static Path root() {
    return Paths.get(System.getProperty("streamml.root", "..")).toAbsolutePath().normalize();
  }

  /**
   * Trains and registers a model on {@code events} simulated events with {@code rounds} boosting
   * rounds, as the Kafka and cluster ITs need before they score; fails with train's output.
   */
  static void trainModel(Path registry, Path output, int events, int rounds)
      throws IOException, InterruptedException {
    Run train =
        run(
            300,
            "train",
            "--events=" + events,
            "--rounds=" + rounds,
            "--registry=" + registry,
            "--output=" + output);
    assertEquals(0, train.exitCode, train.output);
  }

  static Run run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    return run(Map.of(), timeoutSeconds, args);
  }

  /** As {@link #run(long, String...)}, with {@code environment} added to this JVM's variables. */
  static Run run(Map<String, String> environment, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("streamml-it", ".log");
    ProcessBuilder builder = builder(log, args);
    Map<String, String> added = new HashMap<>(environment);
    added.computeIfPresent(
        "STREAMML_JAVA_OPTS", (name, opts) -> TestJvmFlags.streammlJavaOpts(opts));
    builder.environment().putAll(added);
    Process process = builder.start();
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            "streamml "
                + String.join(" ", args)
                + " did not finish in "
                + timeoutSeconds
                + " s:\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
