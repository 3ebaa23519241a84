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
 * mini-cluster and Spark local: the same counts and the same output records on all three.
 */
class DemoOnAllRunnersIT {

  private static final int EVENTS = 5_000;

  @TempDir static Path output;

  private static List<String> directEvents;
  private static List<String> directDeadLetters;
  private static String directCounts;

  @BeforeAll
  static void runOnDirect() throws Exception {
    Path out = demo("DirectRunner");
    directEvents = DemoOutput.sortedEvents(out);
    directDeadLetters = DemoOutput.sortedDeadLetters(out);
    directCounts = lastCounts();
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
                    "--output=" + out),
                Stream.of(extraFlags))
            .toArray(String[]::new);
    StreammlLauncher.Run run = StreammlLauncher.run(300, args);
    assertEquals(0, run.exitCode, run.output);
    lastOutput = run.output;
    return out;
  }

  /** The counts the last run printed, checked to add up. */
  private static String lastCounts() {
    return DemoOutput.counts(lastOutput, EVENTS);
  }

  @Test
  void directRunnerAccountsForEveryRecord() {
    assertEquals(EVENTS, directEvents.size() + directDeadLetters.size());
    assertTrue(directDeadLetters.size() > 0, "the demo injects malformed records");
  }

  @Test
  void flinkMiniClusterWritesTheSameRecords() throws Exception {
    Path out = demo("FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    assertEquals(directCounts, lastCounts());
    assertEquals(directEvents, DemoOutput.sortedEvents(out));
    assertEquals(directDeadLetters, DemoOutput.sortedDeadLetters(out));
  }

  @Test
  void sparkLocalWritesTheSameRecords() throws Exception {
    Path out = demo("SparkRunner", "--sparkMaster=local[2]");
    assertEquals(directCounts, lastCounts());
    assertEquals(directEvents, DemoOutput.sortedEvents(out));
    assertEquals(directDeadLetters, DemoOutput.sortedDeadLetters(out));
  }
}
