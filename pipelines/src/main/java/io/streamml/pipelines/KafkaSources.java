package io.streamml.pipelines;

import io.streamml.pipelines.options.KafkaClientOptions;
import io.streamml.pipelines.options.KafkaOptions;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.ingest.KafkaPreflight;
import io.streamml.transforms.ingest.KafkaSourceConfig;
import io.streamml.transforms.ingest.KafkaSourceConfig.EventTimeFrom;
import io.streamml.transforms.ingest.KafkaSourceConfig.StartOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.joda.time.Duration;

/** Turns the Kafka flags into a {@link KafkaSourceConfig}, each mistake as one clear line. */
final class KafkaSources {

  private KafkaSources() {}

  static KafkaSourceConfig config(KafkaOptions options, UseCaseSpec spec) {
    if (options.getBootstrapServers() == null || options.getInputTopic() == null) {
      throw new IllegalArgumentException(
          "Reading Kafka needs both --bootstrapServers=host:port and --inputTopic=topic");
    }
    List<String> topics =
        Arrays.stream(options.getInputTopic().split(","))
            .map(String::trim)
            .filter(t -> !t.isEmpty())
            .collect(Collectors.toList());
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("--inputTopic names no topic");
    }
    KafkaSourceConfig config =
        KafkaSourceConfig.of(options.getBootstrapServers(), topics, spec.eventTimeField())
            .withConsumerGroup(options.getConsumerGroup())
            .withStartOffset(startOffset(options.getStartOffset()))
            .withEventTimeFrom(eventTimeFrom(options.getEventTimeFrom()))
            .withClientProperties(KafkaClientOptions.clientProperties(options));
    if (options.getStartTimestamp() != null) {
      config =
          config.withStartTimestamp(
              EventInputs.time("--startTimestamp", options.getStartTimestamp()));
    }
    if (options.getStopTimestamp() != null) {
      if (options.getMaxRecords() != null) {
        throw new IllegalArgumentException(
            "--maxRecords and --stopTimestamp both end the read; give one of them");
      }
      config =
          config.withStopTimestamp(EventInputs.time("--stopTimestamp", options.getStopTimestamp()));
    }
    if (options.getMaxRecords() != null) {
      if (options.getMaxRecords() <= 0) {
        throw new IllegalArgumentException(
            "--maxRecords must be above 0, not " + options.getMaxRecords());
      }
      config = config.withMaxRecords(options.getMaxRecords());
    }
    if (options.getStopAtEnd()) {
      if (options.getMaxRecords() != null || options.getStopTimestamp() != null) {
        throw new IllegalArgumentException(
            "--stopAtEnd reads to the end of the topics; drop --maxRecords / --stopTimestamp");
      }
      config = config.withStopAtEnd(true);
    }
    if (options.getMaxOutOfOrdernessSeconds() < 0) {
      throw new IllegalArgumentException(
          "--maxOutOfOrdernessSeconds must be 0 or more, not "
              + options.getMaxOutOfOrdernessSeconds());
    }
    if (options.getIdleTimeoutSeconds() <= 0) {
      throw new IllegalArgumentException(
          "--idleTimeoutSeconds must be above 0, not " + options.getIdleTimeoutSeconds());
    }
    config =
        config
            .withMaxOutOfOrderness(Duration.standardSeconds(options.getMaxOutOfOrdernessSeconds()))
            .withIdleTimeout(Duration.standardSeconds(options.getIdleTimeoutSeconds()));
    // Last, once every flag is known to be well formed: is anybody there?
    KafkaPreflight.check(
        config,
        options.getKafkaConnectAttempts(),
        Duration.standardSeconds(options.getKafkaConnectTimeoutSeconds()));
    return config;
  }

  private static StartOffset startOffset(String value) {
    switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "earliest":
        return StartOffset.EARLIEST;
      case "latest":
        return StartOffset.LATEST;
      default:
        throw new IllegalArgumentException(
            "--startOffset must be earliest or latest, not '" + value + "'");
    }
  }

  private static EventTimeFrom eventTimeFrom(String value) {
    switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "payload":
        return EventTimeFrom.PAYLOAD;
      case "kafkatimestamp":
        return EventTimeFrom.KAFKA_TIMESTAMP;
      default:
        throw new IllegalArgumentException(
            "--eventTimeFrom must be payload or kafkaTimestamp, not '" + value + "'");
    }
  }
}
