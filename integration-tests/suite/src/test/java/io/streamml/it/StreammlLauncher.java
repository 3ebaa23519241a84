package io.streamml.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
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

  private StreammlLauncher() {}

  static Path root() {
    return Paths.get(System.getProperty("streamml.root", "..")).toAbsolutePath().normalize();
  }

  static Run run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    return run(Map.of(), timeoutSeconds, args);
  }

  /** As {@link #run(long, String...)}, with {@code environment} added to this JVM's variables. */
  static Run run(Map<String, String> environment, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(root().resolve("streamml").toString());
    command.addAll(Arrays.asList(args));
    Path log = Files.createTempFile("streamml-it", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
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
