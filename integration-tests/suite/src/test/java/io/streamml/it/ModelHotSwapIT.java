package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model promoted while {@code streamml score} streams on Flink's mini-cluster scores the next
 * events, without a restart: the production registry poll (an unbounded {@code GenerateSequence},
 * not the time-bounded poll the transform tests use) on a real runner, from a real topic.
 */
class ModelHotSwapIT {

  @TempDir static Path work;

  @Test
  void aVersionPromotedMidStreamScoresTheNextEventsOnFlink() throws Exception {
    Path registry = work.resolve("registry");
    StreammlLauncher.trainModel(registry, work.resolve("train-1"), 1000, 5);
    StreammlLauncher.trainModel(registry, work.resolve("train-2"), 1000, 5);
    // Both registered up front and LATEST back on v0001, so the swap mid-stream is one quick
    // command, not a training run competing with the job for the cores.
    promote(registry, "v0001");
    try (LocalKafkaBroker broker =
        LocalKafkaBroker.start(work, "swap-events:2", "swap-scores", "swap-alerts", "swap-dead")) {
      String bootstrap = "--bootstrapServers=" + broker.bootstrapServers();
      StreammlLauncher.Background producer =
          StreammlLauncher.start(
              "produce", bootstrap, "--topic=swap-events", "--events=6000", "--ratePerSecond=20");
      StreammlLauncher.Background job =
          StreammlLauncher.start(
              "score",
              "--runner=FlinkRunner",
              "--flinkMaster=[local]",
              "--parallelism=2",
              bootstrap,
              "--inputTopic=swap-events",
              "--eventTimeFrom=kafkaTimestamp",
              "--consumerGroup=swap",
              "--outputTopicScores=swap-scores",
              "--outputTopicAlerts=swap-alerts",
              "--outputTopicDeadLetters=swap-dead",
              "--output=" + work.resolve("scores"),
              "--registry=" + registry,
              "--modelPollSeconds=2");
      try {
        Polling.until(job, 300, () -> scoredWith(broker, "v0001"));
        promote(registry, "v0002");
        Polling.until(job, 180, () -> scoredWith(broker, "v0002"));
        assertTrue(job.isAlive(), "the job kept running across the swap");
      } finally {
        producer.kill();
        job.kill();
      }
    }
  }

  private static void promote(Path registry, String version) throws Exception {
    StreammlLauncher.Run promote =
        StreammlLauncher.run(
            120, "models", "promote", "--registry=" + registry, "--version=" + version);
    assertEquals(0, promote.exitCode, promote.output);
  }

  private static boolean scoredWith(LocalKafkaBroker broker, String version) {
    List<JsonNode> scores = TopicJson.read(broker, "swap-scores");
    return scores.stream().anyMatch(s -> version.equals(s.path("model_version").asText()));
  }
}
