package io.streamml.transforms.ingest;

import io.streamml.schemas.KafkaOffsetRange;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record values of fixed offset ranges of Kafka partitions (from {@link KafkaEndOffsets}), as
 * text ({@link RawPayloads}), stamped with their event time ({@link EventTimePolicy}). A bounded
 * read: each range is read by one plain consumer from its start offset until the consumer's
 * position reaches the range's end, so gaps (transaction markers, compaction) end it too. With a
 * consumer group, the end offset is committed once the range has been read.
 *
 * <p>Why not KafkaIO's splittable reader: on the Direct runner it checkpoints and is resumed
 * whenever a poll comes back empty, which made a 6,000-record read 12 times slower than the
 * simulator (docs/kafka.md). Its output is also typed unbounded although it ends, which runs Flink
 * in streaming mode; this output is bounded, so Flink runs such a job as a batch job.
 *
 * <p>A range that makes no progress for {@code default.api.timeout.ms} (Kafka's default 60 s) fails
 * the read with a message naming the partition, instead of waiting for ever.
 */
final class ReadOffsetRanges extends PTransform<PCollection<Row>, PCollection<String>> {

  private final KafkaSourceConfig config;
  private final Map<String, Object> consumerConfig;

  ReadOffsetRanges(KafkaSourceConfig config, Map<String, Object> consumerConfig) {
    this.config = config;
    this.consumerConfig = new HashMap<>(consumerConfig);
  }

  @Override
  public PCollection<String> expand(PCollection<Row> ranges) {
    return ranges
        // Spreads the partitions over workers; Create alone may hand them all to one.
        .apply("SpreadPartitions", Reshuffle.viaRandomKey())
        .apply(
            "ReadEachRange",
            ParDo.of(
                new ReadRangeFn(
                    consumerConfig,
                    config.bootstrapServers(),
                    config.consumerGroup() != null,
                    EventTimePolicy.forBoundedRead(config))))
        .setCoder(StringUtf8Coder.of());
  }

  private static final class ReadRangeFn extends DoFn<Row, String> {

    private static final Logger LOG = LoggerFactory.getLogger(ReadOffsetRanges.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Counter recordsRead = Metrics.counter("streamml.ingest", "kafka_records_read");
    private final Map<String, Object> consumerConfig;
    private final String bootstrapServers;
    private final boolean commit;
    private final EventTimePolicy eventTime;

    ReadRangeFn(
        Map<String, Object> consumerConfig,
        String bootstrapServers,
        boolean commit,
        EventTimePolicy eventTime) {
      this.consumerConfig = consumerConfig;
      this.bootstrapServers = bootstrapServers;
      this.commit = commit;
      this.eventTime = eventTime;
    }

    @ProcessElement
    public void processElement(@Element Row range, OutputReceiver<String> out) {
      TopicPartition partition =
          new TopicPartition(
              range.getString(KafkaOffsetRange.TOPIC), range.getInt32(KafkaOffsetRange.PARTITION));
      long start = range.getInt64(KafkaOffsetRange.START_OFFSET);
      long end = range.getInt64(KafkaOffsetRange.END_OFFSET);
      Map<String, Object> props = new HashMap<>(consumerConfig);
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      long read = 0;
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        long stallMillis = stallTimeoutMillis(props);
        consumer.assign(List.of(partition));
        consumer.seek(partition, start);
        long position = start;
        long lastProgress = System.currentTimeMillis();
        while (position < end) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            if (record.offset() >= end) {
              break;
            }
            out.outputWithTimestamp(
                RawPayloads.decode(record.value()),
                eventTime.eventTime(record.value(), record.timestamp()));
            read++;
          }
          long now = consumer.position(partition);
          if (now > position) {
            position = now;
            lastProgress = System.currentTimeMillis();
          } else if (System.currentTimeMillis() - lastProgress > stallMillis) {
            throw new IllegalStateException(
                String.format(
                    "Kafka partition %s made no progress for %d ms at offset %d of %d (is %s"
                        + " reachable?)",
                    partition, stallMillis, position, end, bootstrapServers));
          }
        }
        if (commit) {
          consumer.commitSync(Map.of(partition, new OffsetAndMetadata(end)));
        }
      }
      recordsRead.inc(read);
      LOG.info("Read {} records of {} (offsets {} to {})", read, partition, start, end);
    }

    private static long stallTimeoutMillis(Map<String, Object> props) {
      Object timeout = props.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
      return timeout == null ? 60_000L : Long.parseLong(timeout.toString());
    }
  }
}
