package io.streamml.pipelines;

import io.streamml.pipelines.options.ArchiveOptions;
import io.streamml.pipelines.options.KafkaClientOptions;
import io.streamml.pipelines.options.KafkaOptions;
import io.streamml.pipelines.options.KafkaSinkOptions;
import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.ingest.ArchiveRaw;
import io.streamml.transforms.io.WriteKafkaJson;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The optional outputs every ingesting pipeline shares, switched on by flags: the Parquet archive
 * ({@code --archive}) and Kafka topics ({@code --outputTopic...}). Each call does nothing when its
 * flag is unset, so pipelines call them unconditionally.
 */
public final class StreamOutputs {

  /** Exactly-once Kafka writes use this many transactional producers per topic. */
  private static final int EOS_SHARDS = 1;

  private StreamOutputs() {}

  /** Archives parsed events (by event time) and parse dead letters (by processing time). */
  public static void archive(
      WithFailures.Result<PCollection<Row>, Row> parsed, UseCaseSpec spec, ArchiveOptions options) {
    String base = options.getArchive();
    if (base == null) {
      return;
    }
    int minutes = options.getArchiveWindowMinutes();
    if (minutes <= 0 || 60 % minutes != 0) {
      throw new IllegalArgumentException(
          "--archiveWindowMinutes must divide an hour (1, 5, 15, 60, ...), not " + minutes);
    }
    if (options.getArchiveShards() <= 0) {
      throw new IllegalArgumentException(
          "--archiveShards must be above 0, not " + options.getArchiveShards());
    }
    parsed
        .output()
        .apply(
            "ArchiveEvents",
            ArchiveRaw.to(OutputFiles.join(base, "events"), spec.eventTimeField())
                .withWindowSize(Duration.standardMinutes(minutes))
                .withNumShards(options.getArchiveShards()));
    parsed
        .failures()
        .apply(
            "ArchiveDeadLetters",
            ArchiveRaw.to(OutputFiles.join(base, "dead-letters"), DeadLetter.PROCESSING_TIME)
                .withWindowSize(Duration.standardMinutes(minutes))
                .withNumShards(options.getArchiveShards()));
  }

  /**
   * Writes {@code rows} to {@code topic} as JSON keyed by {@code keyField} (null: unkeyed), if a
   * topic is given; {@code name} names the step ({@code Write<name>ToKafka}).
   */
  public static <T extends KafkaOptions & KafkaSinkOptions> void toKafka(
      PCollection<Row> rows,
      String name,
      @Nullable String topic,
      @Nullable String keyField,
      T options) {
    if (topic == null) {
      return;
    }
    String servers =
        options.getOutputBootstrapServers() != null
            ? options.getOutputBootstrapServers()
            : options.getBootstrapServers();
    if (servers == null) {
      throw new IllegalArgumentException(
          "Writing to Kafka topic '"
              + topic
              + "' needs --outputBootstrapServers (or --bootstrapServers)");
    }
    WriteKafkaJson write =
        WriteKafkaJson.to(servers, topic)
            .withProducerProperties(KafkaClientOptions.clientProperties(options));
    if (keyField != null) {
      write = write.withKeyField(keyField);
    }
    if (options.getOutputExactlyOnce()) {
      write = write.withExactlyOnce(EOS_SHARDS, "streamml-" + options.getJobName() + "-" + topic);
    }
    rows.apply("Write" + name + "ToKafka", write);
  }

  /** As {@link #toKafka(PCollection, String, String, String, KafkaOptions)}, for dead letters. */
  public static <T extends KafkaOptions & KafkaSinkOptions> void deadLettersToKafka(
      PCollectionList<Row> deadLetters, T options) {
    if (options.getOutputTopicDeadLetters() == null) {
      return;
    }
    toKafka(
        deadLetters
            .apply("CollectDeadLettersForKafka", Flatten.pCollections())
            .setRowSchema(DeadLetter.SCHEMA),
        "DeadLetters",
        options.getOutputTopicDeadLetters(),
        null,
        options);
  }
}
