package io.streamml.transforms.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.transforms.ingest.KafkaSourceConfig.EventTimeFrom;
import java.io.IOException;
import java.io.Serializable;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time and watermark of one Kafka partition.
 *
 * <p>A record's timestamp is its payload's event-time field or its Kafka timestamp ({@link
 * EventTimeFrom}); a payload whose time cannot be read gets its Kafka timestamp (parsing will
 * dead-letter it anyway). The watermark is the latest event time seen minus {@code
 * maxOutOfOrderness}, and never goes back.
 *
 * <p>Idle partitions: KafkaIO's watermark is the minimum over partitions, so one partition without
 * traffic would hold every window open. When a partition is caught up (backlog 0) and has had no
 * record for {@code idleTimeout} of processing time, its watermark moves to {@code now -
 * maxOutOfOrderness}. For live data (event time close to now) this fires windows promptly; when
 * replaying old events, records arriving after their partition went idle are late, so replays
 * should be bounded reads ({@code maxRecords} / {@code stopTimestamp}), which end with a final
 * watermark.
 */
final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> implements Serializable {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long serialVersionUID = 1L;

  private final EventTimeFrom from;
  private final String eventTimeField;
  private final Duration maxOutOfOrderness;
  private final Duration idleTimeout;
  private Instant maxEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant watermark;
  private final Clock clock;
  private Instant lastRecordAt;

  /** Processing time; tests pass their own. */
  interface Clock extends Serializable {
    Instant now();
  }

  EventTimePolicy(
      EventTimeFrom from,
      String eventTimeField,
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      Optional<Instant> previousWatermark,
      Clock clock) {
    this.clock = clock;
    this.lastRecordAt = clock.now();
    this.from = from;
    this.eventTimeField = eventTimeField;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.idleTimeout = idleTimeout;
    this.watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  static TimestampPolicyFactory<byte[], byte[]> factory(KafkaSourceConfig config) {
    EventTimeFrom from = config.eventTimeFrom();
    String field = config.eventTimeField();
    Duration delay = config.maxOutOfOrderness();
    Duration idle = config.idleTimeout();
    return (TopicPartition partition, Optional<Instant> previous) ->
        new EventTimePolicy(from, field, delay, idle, previous, Instant::now);
  }

  /** The same event time, for the bounded read of offset ranges ({@link ReadOffsetRanges}). */
  static EventTimePolicy forBoundedRead(KafkaSourceConfig config) {
    return new EventTimePolicy(
        config.eventTimeFrom(),
        config.eventTimeField(),
        config.maxOutOfOrderness(),
        config.idleTimeout(),
        Optional.empty(),
        Instant::now);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<byte[], byte[]> r) {
    Instant time = eventTime(r);
    if (time.isAfter(maxEventTime)) {
      maxEventTime = time;
    }
    lastRecordAt = clock.now();
    return time;
  }

  @Override
  public Instant getWatermark(PartitionContext context) {
    Instant candidate = maxEventTime.minus(maxOutOfOrderness);
    Instant now = clock.now();
    boolean idle = context.getMessageBacklog() == 0 && !lastRecordAt.plus(idleTimeout).isAfter(now);
    if (idle) {
      Instant idleWatermark = now.minus(maxOutOfOrderness);
      candidate = idleWatermark.isAfter(candidate) ? idleWatermark : candidate;
    }
    if (candidate.isAfter(watermark)) {
      watermark = candidate;
    }
    return watermark;
  }

  private Instant eventTime(KafkaRecord<byte[], byte[]> record) {
    return eventTime(record.getKV().getValue(), record.getTimestamp());
  }

  /** The payload's event time, else the record's Kafka timestamp. */
  Instant eventTime(byte[] value, long kafkaTimestampMillis) {
    Instant kafkaTime = new Instant(kafkaTimestampMillis);
    if (from == EventTimeFrom.KAFKA_TIMESTAMP || value == null) {
      return kafkaTime;
    }
    try {
      JsonNode time = MAPPER.readTree(value).get(eventTimeField);
      return time != null && time.isTextual() ? Instant.parse(time.asText()) : kafkaTime;
    } catch (IOException | IllegalArgumentException e) {
      return kafkaTime;
    }
  }
}
