package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner jars started without the launcher, and the launcher's one-line refusals. */
class RunnerJarsIT {

  @TempDir Path dir;

  @Test
  void theSparkJarRunsWithAPlainJavaJarBecauseItsManifestOpensTheModulesSparkNeeds()
      throws Exception {
    Path jar = StreammlLauncher.root().resolve("runners/spark/target/streamml-runner-spark.jar");
    Path log = dir.resolve("spark.log");
    // No --add-opens on this command line: Spark on Java 17 fails at start without them.
    Process process =
        new ProcessBuilder(
                List.of(
                    "java",
                    "-jar",
                    jar.toString(),
                    "generate",
                    "--runner=SparkRunner",
                    "--sparkMaster=local[1]",
                    "--events=300",
                    "--output=" + dir.resolve("out")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(process.waitFor(240, TimeUnit.SECONDS), "generate on Spark did not finish");
    String printed = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), printed);
    long lines;
    try (Stream<Path> files = Files.list(dir.resolve("out/fraud"))) {
      lines =
          files
              .filter(f -> f.getFileName().toString().startsWith("events"))
              .mapToLong(RunnerJarsIT::lineCount)
              .sum();
    }
    assertEquals(300, lines, printed);
  }

  @Test
  void anUnknownRunnerIsOneLineThatNamesTheChoices() throws Exception {
    StreammlLauncher.Run run = StreammlLauncher.run(60, "demo", "--runner=StormRunner");

    assertEquals(2, run.exitCode, run.output);
    assertEquals(
        "streamml: unknown --runner=StormRunner; use DirectRunner, FlinkRunner, SparkRunner or"
            + " DataflowRunner",
        run.output.strip());
  }

  private static long lineCount(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
