package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kappa training: {@code streamml train} over a real Kafka topic between two Kafka timestamps. Each
 * partition's read ends at its first offset at or after {@code --stopTimestamp} (or at its end when
 * it has none), so the range is exact and a stop time past the last record still ends the read.
 */
class KafkaTrainRangeIT {

  /**
   * Seed 42's fraud episodes fall in blocks 0, 2, 15, 17, 23, 30, ... 57 of 100 events, so each
   * range below, and the latest 20% of it that training holds out, has some fraud.
   */
  private static final int SIMULATED = 6000;

  @TempDir static Path work;
  private static LocalKafkaBroker broker;

  /** The Kafka timestamps of the topic's valid events, ascending. */
  private static List<Long> eventTimestamps;

  @BeforeAll
  static void startBrokerAndProduce() throws Exception {
    broker = LocalKafkaBroker.start(work, "history:3");
    // Paced, so the records' Kafka (create) timestamps spread over about 2 s.
    KafkaEvents.produce(broker, "history", SIMULATED, 0.0, "--ratePerSecond=3000");
    eventTimestamps = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : broker.readAll("history")) {
      if (KafkaEvents.payload(record.value()).startsWith("{")) {
        eventTimestamps.add(record.timestamp());
      }
    }
    eventTimestamps.sort(null);
    assertEquals(SIMULATED, eventTimestamps.size());
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  private static StreammlLauncher.Run train(String name, long startMillis, long stopMillis)
      throws Exception {
    StreammlLauncher.Run run =
        StreammlLauncher.run(
            300,
            "train",
            "--rounds=20",
            // The Direct runner's mutation checks cost more than the read here; users turn them
            // off for throughput too (they check DoFn code, which the unit tests do).
            "--enforceImmutability=false",
            "--bootstrapServers=" + broker.bootstrapServers(),
            "--inputTopic=history",
            "--startTimestamp=" + Instant.ofEpochMilli(startMillis),
            "--stopTimestamp=" + Instant.ofEpochMilli(stopMillis),
            "--output=" + work.resolve(name),
            "--registry=" + work.resolve(name).resolve("registry"));
    assertEquals(0, run.exitCode, run.output);
    assertTrue(run.output.contains("model v0001 registered"), run.output);
    return run;
  }

  @Test
  void aTopicTheBrokerDoesNotHaveIsOneLineBeforeAnyJob() throws Exception {
    StreammlLauncher.Run run =
        StreammlLauncher.run(
            120,
            "train",
            "--bootstrapServers=" + broker.bootstrapServers(),
            "--inputTopic=no-such-topic",
            "--stopAtEnd",
            "--output=" + work.resolve("no-topic"));
    assertEquals(2, run.exitCode, run.output);
    assertTrue(
        run.output.contains(
            "streamml train: Kafka topic(s) [no-such-topic] not found at "
                + broker.bootstrapServers()),
        run.output);
  }

  private static long eventsBetween(long startMillis, long stopMillis) {
    return eventTimestamps.stream().filter(t -> t >= startMillis && t < stopMillis).count();
  }

  @Test
  void trainsOnExactlyTheEventsBetweenTheTimestamps() throws Exception {
    long start = eventTimestamps.get(SIMULATED / 5);
    long stop = eventTimestamps.get(SIMULATED * 4 / 5);
    long expected = eventsBetween(start, stop);
    assertTrue(expected > SIMULATED / 2 && expected < SIMULATED, "range holds " + expected);
    assertEquals(expected, TrainOutput.vectors(train("middle", start, stop)));
  }

  @Test
  void aStopTimeAfterTheLastRecordEndsAtTheTopicsEnd() throws Exception {
    long start = eventTimestamps.get(SIMULATED / 2);
    // No partition holds a record at or after this time: each ends at its end offset.
    long stop = eventTimestamps.get(SIMULATED - 1) + 3_600_000;
    assertEquals(eventsBetween(start, stop), TrainOutput.vectors(train("to-end", start, stop)));
  }
}
