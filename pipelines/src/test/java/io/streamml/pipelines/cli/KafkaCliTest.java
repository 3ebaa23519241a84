package io.streamml.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Kafka and archive flag mistakes are one clear line and exit code 2, before any job starts. */
class KafkaCliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return StreammlCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void aTopicWithoutBrokersIsOneLine() {
    assertEquals(2, run("demo", "--inputTopic=events"));
    assertEquals(
        "streamml demo: Reading Kafka needs both --bootstrapServers=host:port and"
            + " --inputTopic=topic",
        err());
  }

  @Test
  void twoSourcesAreOneLine() {
    assertEquals(2, run("demo", "--inputTopic=events", "--input=x.jsonl"));
    assertEquals(
        "streamml demo: Give one event source: --input, --inputArchive or --inputTopic, not"
            + " several",
        err());
  }

  @Test
  void aMissingKafkaPropertiesFileIsOneLine() {
    assertEquals(
        2,
        run(
            "demo",
            "--bootstrapServers=localhost:1",
            "--inputTopic=e",
            "--kafkaPropertiesFile=/no/such/client.properties"));
    assertEquals(
        "streamml demo: Kafka properties file /no/such/client.properties does not exist", err());
  }

  @Test
  void kafkaPropertiesThatStreammlSetsAreOneLine() {
    assertEquals(
        2,
        run(
            "demo",
            "--bootstrapServers=localhost:1",
            "--inputTopic=e",
            "--kafkaProperties=security.protocol=SSL,group.id=mine"));
    assertTrue(
        err().startsWith("streamml demo: Kafka properties [group.id] are set by streamml itself"),
        err());
  }

  @Test
  void anUnreachableBrokerIsOneLineAfterBoundedTries() {
    // Port 1 on loopback: nothing listens there, so every try is refused.
    assertEquals(
        2,
        run(
            "demo",
            "--bootstrapServers=127.0.0.1:1",
            "--inputTopic=events",
            "--kafkaConnectAttempts=2",
            "--kafkaConnectTimeoutSeconds=1"));
    assertTrue(
        err().startsWith("streamml demo: Kafka at 127.0.0.1:1 did not answer in 2 tries of 1 s"),
        err());
    assertEquals(1, err().lines().count(), err());
  }

  @Test
  void anUnknownStartOffsetIsOneLine() {
    assertEquals(
        2, run("demo", "--bootstrapServers=localhost:1", "--inputTopic=e", "--startOffset=middle"));
    assertEquals("streamml demo: --startOffset must be earliest or latest, not 'middle'", err());
  }

  @Test
  void aBadStopTimestampIsOneLine() {
    assertEquals(
        2, run("demo", "--bootstrapServers=localhost:1", "--inputTopic=e", "--stopTimestamp=soon"));
    assertTrue(err().startsWith("streamml demo: --stopTimestamp=soon is not an ISO-8601"), err());
  }

  @Test
  void twoStopPositionsAreOneLine() {
    assertEquals(
        2,
        run(
            "train",
            "--bootstrapServers=localhost:1",
            "--inputTopic=e",
            "--maxRecords=5",
            "--stopTimestamp=2026-01-01T00:00:00Z"));
    assertEquals(
        "streamml train: --maxRecords and --stopTimestamp both end the read; give one of them",
        err());
  }

  @Test
  void benchKafkaNeedsOneOutputTopic() {
    String expected =
        "streamml bench-kafka: bench-kafka needs one of --outputTopicFeatures=TOPIC (features) or"
            + " --outputTopicScores=TOPIC (features and scores)";
    assertEquals(2, run("bench-kafka", "--bootstrapServers=localhost:1", "--inputTopic=e"));
    assertEquals(expected, err());
    err.reset();
    assertEquals(
        2,
        run(
            "bench-kafka",
            "--bootstrapServers=localhost:1",
            "--inputTopic=e",
            "--outputTopicFeatures=f",
            "--outputTopicScores=s"));
    assertEquals(expected, err());
  }

  @Test
  void anArchiveWithNoFilesIsOneLine() {
    assertEquals(2, run("demo", "--inputArchive=/nonexistent/archive/events"));
    assertEquals(
        "streamml demo: No files match --inputArchive=/nonexistent/archive/events/dt=*/hour=*/*.parquet",
        err());
  }

  @Test
  void produceNeedsATopic() {
    assertEquals(2, run("produce", "--bootstrapServers=localhost:1"));
    assertTrue(err().startsWith("streamml produce: "), err());
    assertTrue(err().contains("--topic"), err());
  }

  @Test
  void kafkaCommandsPrintTheirOptions() {
    for (String command : new String[] {"produce", "bench-kafka"}) {
      out.reset();
      assertEquals(0, run(command, "--help"));
      String help = out.toString(StandardCharsets.UTF_8);
      assertTrue(help.startsWith("Usage: streamml " + command), help);
      assertTrue(help.contains("--bootstrapServers"), help);
    }
  }

  @Test
  public void scoreAndDriftPrintTheirOutputTopics() {
    String[][] expected = {
      {"score", "--outputTopicScores", "--outputTopicAlerts", "--outputTopicDeadLetters"},
      {"drift", "--outputTopicDriftMetrics", "--outputTopicRetrainTriggers"},
      {"demo", "--outputTopicScores", "--outputTopicAlerts", "--outputTopicFeatures"},
    };
    for (String[] command : expected) {
      out.reset();
      assertEquals(0, run(command[0], "--help"));
      String help = out.toString(StandardCharsets.UTF_8);
      for (int i = 1; i < command.length; i++) {
        assertTrue(help.contains(command[i]), command[0] + " --help lacks " + command[i]);
      }
    }
  }
}
