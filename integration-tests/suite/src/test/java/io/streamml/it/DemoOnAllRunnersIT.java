package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded demo, unchanged, through the packaged jars on the Direct runner, Flink's in-process
 * mini-cluster and Spark local: the same counts and the same output records on all three. Each run
 * trains its model into its own empty registry (training is deterministic) and scores its vectors,
 * so scores and alerts (model and rule) must match too.
 */
class DemoOnAllRunnersIT {

  private static final int EVENTS = 5_000;
  @TempDir static Path output;

  private static List<String> directEvents;
  private static List<String> directDeadLetters;
  private static List<String> directFeatures;
  private static List<String> directScores;
  private static List<String> directAlerts;
  private static String directCounts;

  @BeforeAll
  static void runOnDirect() throws Exception {
    Path out = demo("DirectRunner");
    directEvents = DemoOutput.sortedEvents(out);
    directDeadLetters = DemoOutput.sortedDeadLetters(out);
    directFeatures = DemoOutput.sortedLines(out.resolve("features"));
    directScores = DemoOutput.sortedLines(out.resolve("scores"));
    directAlerts = DemoOutput.sortedLines(out.resolve("alerts"));
    directCounts = counts(out);
  }

  private static String lastOutput;

  private static Path demo(String runner, String... extraFlags) throws Exception {
    Path out = output.resolve(runner);
    String[] args =
        Stream.concat(
                Stream.of(
                    "demo",
                    "--runner=" + runner,
                    "--events=" + EVENTS,
                    "--malformedRate=0.03",
                    "--output=" + out,
                    "--registry=" + out.resolve("registry")),
                Stream.of(extraFlags))
            .toArray(String[]::new);
    StreammlLauncher.Run run = StreammlLauncher.run(300, args);
    assertEquals(0, run.exitCode, run.output);
    lastOutput = run.output;
    return out;
  }

  /** The summary's count lines, which must be identical across runners. */
  private static String counts(Path out) {
    long read = DemoOutput.summaryCount(lastOutput, "read");
    long events = DemoOutput.summaryCount(lastOutput, "events");
    long deadLetters = DemoOutput.summaryCount(lastOutput, "dead letters");
    assertEquals(EVENTS, read, lastOutput);
    assertEquals(EVENTS, events + deadLetters, lastOutput);
    return "read " + read + " events " + events + " dead letters " + deadLetters;
  }

  @Test
  void directRunnerAccountsForEveryRecord() {
    assertEquals(EVENTS, directEvents.size() + directDeadLetters.size());
    assertEquals(directEvents.size(), directFeatures.size(), "one fraud vector per event");
    assertTrue(directDeadLetters.size() > 0, "the demo injects malformed records");
    assertEquals(directFeatures.size(), directScores.size(), "one score per vector");
    assertTrue(directAlerts.size() > 0, "the demo raises alerts");
  }

  @Test
  void flinkMiniClusterWritesTheSameRecords() throws Exception {
    Path out = demo("FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    assertEquals(directCounts, counts(out));
    assertEquals(directEvents, DemoOutput.sortedEvents(out));
    assertEquals(directDeadLetters, DemoOutput.sortedDeadLetters(out));
    assertEquals(directFeatures, DemoOutput.sortedLines(out.resolve("features")));
    assertEquals(directScores, DemoOutput.sortedLines(out.resolve("scores")));
    assertEquals(directAlerts, DemoOutput.sortedLines(out.resolve("alerts")));
  }

  @Test
  void sparkLocalWritesTheSameRecords() throws Exception {
    Path out = demo("SparkRunner", "--sparkMaster=local[2]");
    assertEquals(directCounts, counts(out));
    assertEquals(directEvents, DemoOutput.sortedEvents(out));
    assertEquals(directDeadLetters, DemoOutput.sortedDeadLetters(out));
    assertEquals(directFeatures, DemoOutput.sortedLines(out.resolve("features")));
    assertEquals(directScores, DemoOutput.sortedLines(out.resolve("scores")));
    assertEquals(directAlerts, DemoOutput.sortedLines(out.resolve("alerts")));
  }
}
