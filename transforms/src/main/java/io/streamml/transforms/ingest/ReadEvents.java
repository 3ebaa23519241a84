package io.streamml.transforms.ingest;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.KafkaOffsetRange;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.transforms.sim.SimulateEvents;
import io.streamml.transforms.sim.SimulatorConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.CompressedSource;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Raw events as text, one JSON object per element, from JSON-lines files, Kafka topics or the
 * built-in simulator. Follow it with {@link ParseEvents}, which turns each payload into an event or
 * a dead letter, so nothing read is lost.
 *
 * <p>Files are bounded; blank lines are kept (and dead-lettered by parsing), and lines that are not
 * UTF-8 are passed on as Kafka values are ({@link RawPayloads}). The simulator is bounded or
 * unbounded as configured, with element timestamps at event time.
 *
 * <p>Kafka ({@link #fromKafka}) is unbounded unless {@code maxRecords}, {@code stopAtEnd} or {@code
 * stopTimestamp} bounds it; the last two end each partition at an offset found when the pipeline is
 * built (its end, or its first record at or after the stop time) and never wait for more. Element
 * timestamps and the watermark follow {@link EventTimePolicy} (payload or Kafka time; idle
 * partitions do not hold the watermark back). With a consumer group, auto-commit is off and offsets
 * are committed when the runner finalizes a checkpoint of the read, so a restart with the same
 * group resumes after the last finalized checkpoint: delivery into the pipeline is at-least-once
 * across restarts. Values that are not UTF-8 are passed on Base64-encoded ({@link RawPayloads}) so
 * that parsing dead-letters them with their bytes; keys are ignored.
 */
public final class ReadEvents extends PTransform<PBegin, PCollection<String>> {

  private final @Nullable String filePattern;
  private final @Nullable SimulatorConfig simulator;
  private final @Nullable KafkaSourceConfig kafka;
  private final @Nullable String archivePattern;
  private final @Nullable Schema archiveSchema;
  private final boolean dropRecordsReadAgain;

  private ReadEvents(
      @Nullable String filePattern,
      @Nullable SimulatorConfig simulator,
      @Nullable KafkaSourceConfig kafka,
      @Nullable String archivePattern,
      @Nullable Schema archiveSchema,
      boolean dropRecordsReadAgain) {
    this.filePattern = filePattern;
    this.simulator = simulator;
    this.kafka = kafka;
    this.archivePattern = archivePattern;
    this.archiveSchema = archiveSchema;
    this.dropRecordsReadAgain = dropRecordsReadAgain;
  }

  /**
   * This read, with an unbounded Kafka read passing each record on once ({@link
   * DropRecordsReadAgain}): a record read again after a restore is dropped and counted. Costs one
   * shuffle keyed by partition; other sources are unchanged.
   */
  public ReadEvents droppingRecordsReadAgain() {
    return new ReadEvents(filePattern, simulator, kafka, archivePattern, archiveSchema, true);
  }

  /** Every line of the files matching {@code filePattern} (any Beam filesystem; globs allowed). */
  public static ReadEvents fromJsonLines(String filePattern) {
    checkArgument(
        filePattern != null && !filePattern.isBlank(),
        "filePattern must not be blank: %s",
        filePattern);
    return new ReadEvents(filePattern, null, null, null, null, false);
  }

  public static ReadEvents fromSimulator(SimulatorConfig config) {
    checkArgument(config != null, "simulator config must not be null");
    return new ReadEvents(null, config, null, null, null, false);
  }

  /** The record values of Kafka topics, as {@code config} says (see the class comment). */
  public static ReadEvents fromKafka(KafkaSourceConfig config) {
    checkArgument(config != null, "kafka config must not be null");
    return new ReadEvents(null, null, config, null, null, false);
  }

  /**
   * The events archived by {@link ArchiveRaw} in the Parquet files matching {@code filePattern}
   * (see {@link ArchiveRaw#filePattern}), as JSON again so they are parsed by the same code as live
   * events. Bounded.
   */
  public static ReadEvents fromArchive(String filePattern, Schema eventSchema) {
    checkArgument(
        filePattern != null && !filePattern.isBlank(),
        "filePattern must not be blank: %s",
        filePattern);
    checkArgument(eventSchema != null, "eventSchema must not be null");
    return new ReadEvents(null, null, null, filePattern, eventSchema, false);
  }

  /**
   * Where the events come from, as dead letters name it: {@code file:...}, {@code kafka:...} or
   * {@code simulator:...}.
   */
  public String sourceName() {
    if (filePattern != null) {
      return "file:" + filePattern;
    }
    if (archivePattern != null) {
      return "archive:" + archivePattern;
    }
    if (kafka != null) {
      return "kafka:" + String.join(",", kafka.topics());
    }
    return "simulator:" + simulator.useCase();
  }

  /**
   * Whether each record's timestamp is its event time already (Kafka with {@code kafkaTimestamp}):
   * parsing must then keep it, not stamp the payload's time.
   */
  public boolean stampsEventTime() {
    return kafka != null
        && kafka.eventTimeFrom() == KafkaSourceConfig.EventTimeFrom.KAFKA_TIMESTAMP;
  }

  /** Whether the read ends on its own (files, a bounded simulator, a bounded Kafka read). */
  public boolean isBounded() {
    if (filePattern != null || archivePattern != null) {
      return true;
    }
    if (kafka != null) {
      return kafka.maxRecords() != null || kafka.stopTimestamp() != null || kafka.stopAtEnd();
    }
    return simulator.isBounded();
  }

  @Override
  public PCollection<String> expand(PBegin input) {
    if (filePattern != null) {
      // Not TextIO: it would replace bytes that are not UTF-8, which must reach dead letters as
      // they were. Compressed files (.gz, .bz2, ...) are read as TextIO reads them.
      return input.apply(
          "ReadJsonLines",
          Read.from(
              CompressedSource.from(new RawLineSource(filePattern, EmptyMatchTreatment.DISALLOW))
                  .withCompression(Compression.AUTO)));
    }
    if (archivePattern != null) {
      RowJsonCodec codec = RowJsonCodec.of(archiveSchema);
      SerializableFunction<GenericRecord, Row> toRow = ArchiveRaw.toRow(archiveSchema);
      return input
          .apply(
              "ReadParquet",
              ParquetIO.read(ArchiveRaw.avroSchema(archiveSchema)).from(archivePattern))
          .apply(
              "FormatAsJson",
              MapElements.into(TypeDescriptors.strings())
                  .via(record -> codec.toJson(toRow.apply(record))))
          .setCoder(StringUtf8Coder.of());
    }
    if (kafka != null && (kafka.stopAtEnd() || kafka.stopTimestamp() != null)) {
      List<Row> partitions = KafkaEndOffsets.ranges(kafka);
      return input
          .apply(
              "ListPartitionsToTheirEnd",
              Create.of(partitions).withRowSchema(KafkaOffsetRange.SCHEMA))
          .apply("ReadKafkaToEnd", KafkaEndOffsets.read(kafka, consumerConfig(kafka)));
    }
    if (kafka != null && dropRecordsReadAgain) {
      return input
          .apply("ReadKafka", kafkaRead(kafka))
          .apply("DropRecordsReadAgain", DropRecordsReadAgain.byPartitionOffset());
    }
    if (kafka != null) {
      return input
          .apply("ReadKafka", kafkaRead(kafka).withoutMetadata())
          .apply("DropKeys", Values.create())
          .apply("DecodeUtf8", MapElements.into(TypeDescriptors.strings()).via(RawPayloads::decode))
          .setCoder(StringUtf8Coder.of());
    }
    return input.apply("SimulateEvents", SimulateEvents.from(simulator));
  }

  private static KafkaIO.Read<byte[], byte[]> kafkaRead(KafkaSourceConfig config) {
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(config.bootstrapServers())
            .withTopics(config.topics())
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(consumerConfig(config))
            .withTimestampPolicyFactory(EventTimePolicy.factory(config));
    if (config.consumerGroup() != null) {
      read = read.commitOffsetsInFinalize();
    }
    if (config.startTimestamp() != null) {
      read = read.withStartReadTime(config.startTimestamp());
    }
    if (config.maxRecords() != null) {
      read = read.withMaxNumRecords(config.maxRecords());
    }
    return read;
  }

  /**
   * The user's client properties, then auto-commit off (offsets are committed as checkpoints
   * finalize), start position and group.
   */
  static Map<String, Object> consumerConfig(KafkaSourceConfig config) {
    Map<String, Object> consumer = new HashMap<>(config.clientProperties());
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        config.startOffset() == KafkaSourceConfig.StartOffset.LATEST ? "latest" : "earliest");
    if (config.consumerGroup() != null) {
      consumer.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
    }
    return consumer;
  }
}
