package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo reading a real Kafka broker and writing its features and dead letters back to Kafka,
 * through the packaged jars on the Direct runner and Flink's in-process mini-cluster: every record
 * produced comes out once, as a feature vector (one per valid event, by event id) or as a dead
 * letter with its reason (bytes that are not UTF-8 included); a stopped and restarted consumer
 * group neither loses nor repeats a record; the Parquet archive holds exactly the events.
 */
class KafkaDemoIT {

  private static final int SIMULATED = 600;
  private static long total;

  @TempDir static Path work;
  private static LocalKafkaBroker broker;

  @BeforeAll
  static void startBrokerAndProduce() throws Exception {
    broker =
        LocalKafkaBroker.start(
            work,
            "events:3",
            "features-direct",
            "dead-direct",
            "features-flink",
            "dead-flink",
            "features-restart",
            "dead-restart");
    total = KafkaEvents.produce(broker, "events", SIMULATED, 0.05);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  /** What one demo run printed and wrote to its output topics. */
  private static final class Run {
    final String printed;
    final Path output;
    final List<JsonNode> features;
    final List<JsonNode> deadLetters;

    Run(String printed, Path output, List<JsonNode> features, List<JsonNode> deadLetters) {
      this.printed = printed;
      this.output = output;
      this.features = features;
      this.deadLetters = deadLetters;
    }
  }

  private static Run demo(
      String name,
      String runner,
      String group,
      long maxRecords,
      String topics,
      String... extraFlags)
      throws Exception {
    Path out = work.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "demo",
                "--runner=" + runner,
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--inputTopic=events",
                "--consumerGroup=" + group,
                maxRecords > 0 ? "--maxRecords=" + maxRecords : "--startOffset=earliest",
                "--outputTopicFeatures=features-" + topics,
                "--outputTopicDeadLetters=dead-" + topics,
                "--output=" + out,
                "--registry=" + work.resolve("registry")));
    args.addAll(List.of(extraFlags));
    StreammlLauncher.Run run = StreammlLauncher.run(300, args.toArray(String[]::new));
    assertEquals(0, run.exitCode, run.output + "\n" + broker.logTail());
    return new Run(run.output, out, List.of(), List.of());
  }

  /** The run with what its output topics hold now. */
  private static Run withTopics(Run run, String topics) {
    return new Run(
        run.printed,
        run.output,
        TopicJson.read(broker, "features-" + topics),
        TopicJson.read(broker, "dead-" + topics));
  }

  /** in = out + dead letters, each valid event's features once, every dead letter explained. */
  private static void assertAccountedFor(Run run, long read) throws Exception {
    assertEquals(read, DemoOutput.summaryCount(run.printed, "read"), run.printed);
    assertEquals(read, run.features.size() + run.deadLetters.size(), run.printed);
    assertEquals(
        run.features.size(), TopicJson.eventIds(run.features).size(), "an event scored twice");
    assertEquals(DemoOutput.summaryCount(run.printed, "feature vectors"), run.features.size());
    for (JsonNode dead : run.deadLetters) {
      assertTrue(dead.get("error").asText().length() > 0, dead.toString());
      assertTrue(Set.of("parse", "validate").contains(dead.get("stage").asText()), dead.toString());
      assertEquals("kafka:events", dead.get("source").asText());
    }
    // What went to Kafka is what went to the files, record for record.
    assertEquals(
        DemoOutput.sortedLines(run.output.resolve("features")),
        run.features.stream().map(JsonNode::toString).sorted().collect(Collectors.toList()));
  }

  private static Run directRun;

  private static synchronized Run directRun() throws Exception {
    if (directRun == null) {
      Run run =
          demo(
              "direct",
              "DirectRunner",
              "direct",
              total,
              "direct",
              "--archive=" + work.resolve("archive"),
              "--enforceImmutability=false");
      directRun = withTopics(run, "direct");
    }
    return directRun;
  }

  @Test
  void directRunnerAccountsForEveryRecord() throws Exception {
    Run run = directRun();
    assertAccountedFor(run, total);
    assertEquals(KafkaEvents.expectedNotUtf8Payloads(), TopicJson.notUtf8Payloads(run.deadLetters));
    assertTrue(
        run.deadLetters.size() > KafkaEvents.NOT_UTF8.size(),
        "the producer sent malformed records");
  }

  @Test
  void flinkMiniClusterWritesTheSameFeatures() throws Exception {
    Run run =
        withTopics(
            demo(
                "flink",
                "FlinkRunner",
                "flink",
                total,
                "flink",
                "--flinkMaster=[local]",
                "--parallelism=2"),
            "flink");
    assertAccountedFor(run, total);
    assertEquals(KafkaEvents.expectedNotUtf8Payloads(), TopicJson.notUtf8Payloads(run.deadLetters));
    assertEquals(TopicJson.eventIds(directRun().features), TopicJson.eventIds(run.features));
  }

  /**
   * Stops after 250 records, then restarts with the same group and reads the rest of the topic.
   * Delivery across a restart is at-least-once (records read after the last committed offset are
   * read again), so the check is: nothing lost, and every repeat is explained by the committed
   * offsets.
   */
  @Test
  void restartWithTheSameGroupResumesWithoutLoss() throws Exception {
    long first = 250;
    Run before =
        withTopics(
            demo(
                "restart-1",
                "DirectRunner",
                "restart",
                first,
                "restart",
                "--enforceImmutability=false"),
            "restart");
    assertAccountedFor(before, first);
    long committed = broker.committedOffsets("restart");
    assertTrue(committed > 0 && committed <= first, "committed " + committed + " of " + first);
    // The second run reads what the topic holds from the group's offsets on (--stopAtEnd).
    Run after =
        demo(
            "restart-2",
            "DirectRunner",
            "restart",
            0,
            "restart",
            "--stopAtEnd",
            "--enforceImmutability=false");
    // The topics now hold both runs' records.
    Run both = withTopics(after, "restart");
    assertEquals(first + total - committed, both.features.size() + both.deadLetters.size());
    assertEquals(
        TopicJson.eventIds(directRun().features),
        TopicJson.eventIds(both.features),
        "an event lost");
    assertEquals(
        KafkaEvents.expectedNotUtf8Payloads(), TopicJson.notUtf8Payloads(both.deadLetters));
    long repeats = both.features.size() - TopicJson.eventIds(both.features).size();
    assertTrue(repeats <= first - committed, repeats + " repeats, " + committed + " committed");
    System.out.printf(
        "restart: %d read, %d committed, %d read after the restart, %d feature repeats%n",
        first, committed, total - committed, repeats);
  }

  @Test
  void archiveHoldsExactlyTheEventsInTheirHourPartitions() throws Exception {
    Run run = directRun();
    List<String> archived = ArchiveFiles.eventsAsJson(work.resolve("archive/events"), "fraud");
    assertEquals(DemoOutput.sortedEvents(run.output), archived.stream().sorted().toList());
    ArchiveFiles.assertEveryRecordInItsPartition(work.resolve("archive/events"), "event_time");
  }

  /** {@code streamml train} over the source's history: the archive (Lambda) or Kafka (Kappa). */
  private static StreammlLauncher.Run train(String name, String... sourceFlags) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--rounds=20",
                // The Direct runner's mutation checks cost more than the read here; users turn them
                // off for throughput too (they check DoFn code, which the unit tests do).
                "--enforceImmutability=false",
                "--output=" + work.resolve(name),
                "--registry=" + work.resolve(name).resolve("registry")));
    args.addAll(List.of(sourceFlags));
    StreammlLauncher.Run run = StreammlLauncher.run(300, args.toArray(String[]::new));
    assertEquals(0, run.exitCode, run.output);
    assertTrue(run.output.contains("model v0001 registered"), run.output);
    return run;
  }

  @Test
  void trainReadsTheArchiveWithTheServingFeatures() throws Exception {
    Run demo = directRun();
    StreammlLauncher.Run lambda =
        train("train-archive", "--inputArchive=" + work.resolve("archive/events"));
    // Every archived event becomes one training vector, as it became one served vector.
    assertEquals(demo.features.size(), TrainOutput.vectors(lambda), lambda.output);
  }

  @Test
  void trainReadsTheTopicUpToItsEnd() throws Exception {
    Run demo = directRun();
    StreammlLauncher.Run kappa =
        train(
            "train-kafka",
            "--bootstrapServers=" + broker.bootstrapServers(),
            "--inputTopic=events",
            "--consumerGroup=train",
            "--startOffset=earliest",
            "--stopAtEnd");
    assertEquals(demo.features.size(), TrainOutput.vectors(kappa), kappa.output);
  }
}
