package io.streamml.transforms.ingest;

import io.streamml.schemas.KafkaOffsetRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;

/**
 * The bounded Kafka reads by position: one {@link KafkaOffsetRange} per partition, ending at the
 * partition's end offset when the pipeline is built ("read what the topics hold now") or, with a
 * stop timestamp, at the partition's first offset at or after that time (its end offset if it has
 * none yet), read by {@link ReadOffsetRanges}. Unlike KafkaIO's {@code withStopReadTime}, which
 * fails for a partition without a record at or after the stop time, every partition simply ends.
 * Unlike {@code withMaxNumRecords}, which splits the record count evenly over readers (Beam's
 * {@code BoundedReadFromUnboundedSource}) and waits for a reader's share even when its partitions
 * hold fewer records, this stops exactly at the end of every partition. Event time is taken as by
 * {@link EventTimePolicy}; the output is bounded, so no record of the read is late.
 */
final class KafkaEndOffsets {

  private KafkaEndOffsets() {}

  /**
   * Every partition of the config's topics that holds records between where this read starts (the
   * start time, else the group's committed offset, else earliest or latest) and where it stops (the
   * first offset at or after the stop time, else the end offset now). A partition with nothing left
   * is left out: there is nothing to read there.
   */
  static List<Row> ranges(KafkaSourceConfig config) {
    Map<String, Object> props = ReadEvents.consumerConfig(config);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    List<TopicPartition> partitions = new ArrayList<>();
    Map<TopicPartition, Long> starts = new HashMap<>();
    Map<TopicPartition, Long> ends = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (String topic : config.topics()) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalArgumentException("Kafka topic '" + topic + "' does not exist");
        }
        infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      Map<TopicPartition, Long> endsNow = consumer.endOffsets(partitions);
      ends.putAll(endsNow);
      if (config.stopTimestamp() != null) {
        offsetsAtOrAfter(consumer, partitions, config.stopTimestamp()).forEach(ends::put);
      }
      Map<TopicPartition, Long> fallback =
          config.startOffset() == KafkaSourceConfig.StartOffset.LATEST
              ? endsNow
              : consumer.beginningOffsets(partitions);
      if (config.startTimestamp() != null) {
        // No record at or after the start time: nothing to read there.
        partitions.forEach(p -> starts.put(p, ends.get(p)));
        offsetsAtOrAfter(consumer, partitions, config.startTimestamp()).forEach(starts::put);
      } else {
        Map<TopicPartition, OffsetAndMetadata> committed =
            config.consumerGroup() == null
                ? Map.of()
                : consumer.committed(new HashSet<>(partitions));
        for (TopicPartition p : partitions) {
          OffsetAndMetadata offset = committed.get(p);
          starts.put(p, offset != null ? offset.offset() : fallback.get(p));
        }
      }
    }
    List<Row> ranges = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      long start = starts.get(partition);
      long end = ends.get(partition);
      if (start < end) {
        ranges.add(KafkaOffsetRange.of(partition.topic(), partition.partition(), start, end));
      }
    }
    return ranges;
  }

  /** The first offset at or after {@code time} of each partition that has one. */
  private static Map<TopicPartition, Long> offsetsAtOrAfter(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant time) {
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(p -> times.put(p, time.getMillis()));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    consumer
        .offsetsForTimes(times)
        .forEach(
            (p, found) -> {
              if (found != null) {
                offsets.put(p, found.offset());
              }
            });
    return offsets;
  }

  /** Reads the ranges {@link #ranges} lists. */
  static ReadOffsetRanges read(KafkaSourceConfig config, Map<String, Object> consumerConfig) {
    return new ReadOffsetRanges(config, consumerConfig);
  }
}
