package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka stream benchmarks against a real broker: {@code bench-saturation} drains a backlog and
 * {@code bench-latency} scores a paced stream, each in topics of its own, on the Direct runner. The
 * figures' values are machine-dependent and not asserted; that every event was scored once, and
 * that the ceiling was read in the same run, are.
 */
class BenchStreamIT {

  @TempDir static Path work;
  private static LocalKafkaBroker broker;
  private static Path registry;

  @BeforeAll
  static void startBrokerAndTrain() throws Exception {
    broker = LocalKafkaBroker.start(work);
    registry = work.resolve("registry");
    StreammlLauncher.trainModel(registry, work.resolve("train"), 3000, 10);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  /** The Direct runner as users run it for throughput, handing back the job so it can stop. */
  private static String[] directStream(String command, String... flags) {
    String[] common = {
      command,
      "--bootstrapServers=" + broker.bootstrapServers(),
      "--registry=" + registry,
      "--enforceImmutability=false",
      "--enforceEncodability=false",
      "--blockOnRun=false"
    };
    String[] args = new String[common.length + flags.length];
    System.arraycopy(common, 0, args, 0, common.length);
    System.arraycopy(flags, 0, args, common.length, flags.length);
    return args;
  }

  /** The figure's values as each run printed them ({@code name value}), in run order. */
  private static List<Double> figures(String output, String name) {
    Matcher m = Pattern.compile("(?m)^  " + name + " +(\\S+)$").matcher(output);
    List<Double> values = new ArrayList<>();
    while (m.find()) {
      values.add(Double.parseDouble(m.group(1)));
    }
    assertFalse(values.isEmpty(), "no " + name + " in:\n" + output);
    return values;
  }

  /** The figure as the last run printed it. */
  private static double figure(String output, String name) {
    List<Double> values = figures(output, name);
    return values.get(values.size() - 1);
  }

  @Test
  void saturationDrainsTheWholeBacklogOnceReadsTheConsumerCeilingAndReportsKeyedState()
      throws Exception {
    StreammlLauncher.Run run =
        StreammlLauncher.run(
            600,
            // Simulated time (events a second apart) keeps the features' keyed state growing as on
            // a long stream, and the run reports its size; bench-latency runs on broker time.
            directStream(
                "bench-saturation", "--backlogEvents=1000", "--repeats=2", "--simulatedTime"));
    assertEquals(0, run.exitCode, run.output);
    assertEquals(2, countOf(run.output, "bench-saturation: writing 1000 events"), run.output);
    assertEquals(1000, figure(run.output, "backlog_events"), run.output);
    // Two whole runs: the first one's job was stopped before the second began.
    assertEquals(List.of(0.0, 0.0), figures(run.output, "scores_repeated"), run.output);
    assertTrue(figure(run.output, "saturation_scores_per_s") > 0, run.output);
    assertTrue(figure(run.output, "consumer_records_per_s") > 0, run.output);
    assertTrue(run.output.contains("saturation / plain consumer: "), run.output);
    // 1,000 events over 2,000 cards: a card keeps one event or a few, some tens of bytes each.
    double maxEvents = figure(run.output, "state_events_per_key_max");
    assertTrue(maxEvents >= 1 && maxEvents < 20, run.output);
    double maxBytes = figure(run.output, "state_bytes_per_key_max");
    assertTrue(maxBytes >= 20 && maxBytes <= 1000 * maxEvents, run.output);
  }

  @Test
  void latencyScoresEveryPacedEventOnce() throws Exception {
    StreammlLauncher.Run run =
        StreammlLauncher.run(
            600,
            directStream(
                "bench-latency",
                "--offeredRate=50",
                "--durationSeconds=5",
                "--warmupSeconds=2",
                "--catchUpSeconds=30",
                "--drainSeconds=120"));
    assertEquals(0, run.exitCode, run.output);
    assertEquals(0, figure(run.output, "events_not_scored"), run.output);
    assertEquals(0, figure(run.output, "scores_repeated"), run.output);
    assertTrue(figure(run.output, "latency_p99_ms") > 0, run.output);
    // Measuring waits for the warm-up, and for the catch-up at most 30 s more.
    double measuredAfter = figure(run.output, "warmup_and_catch_up_s");
    assertTrue(measuredAfter >= 2 && measuredAfter < 40, run.output);
  }

  private static int countOf(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      count++;
    }
    return count;
  }
}
