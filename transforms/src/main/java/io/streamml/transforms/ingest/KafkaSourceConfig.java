package io.streamml.transforms.ingest;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.transforms.io.KafkaClientProperties;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Where and how {@link ReadEvents#fromKafka} reads: brokers, topics, consumer group, start and
 * optional stop position, and how event time and the watermark are derived. Immutable; {@code
 * withX} returns a copy.
 */
public final class KafkaSourceConfig implements Serializable {

  /** Where a consumer group without committed offsets starts. */
  public enum StartOffset {
    EARLIEST,
    LATEST
  }

  /** Where an event's time comes from. */
  public enum EventTimeFrom {
    /** The use case's event-time field in the JSON payload (the Kafka timestamp if unreadable). */
    PAYLOAD,
    /** The record's Kafka timestamp (producer create time or broker log-append time). */
    KAFKA_TIMESTAMP
  }

  private final String bootstrapServers;
  private final List<String> topics;
  private final @Nullable String consumerGroup;
  private final StartOffset startOffset;
  private final @Nullable Instant startTimestamp;
  private final @Nullable Instant stopTimestamp;
  private final @Nullable Long maxRecords;
  private final EventTimeFrom eventTimeFrom;
  private final String eventTimeField;
  private final Duration maxOutOfOrderness;
  private final Duration idleTimeout;
  private final boolean stopAtEnd;
  private final TreeMap<String, String> clientProperties;

  private KafkaSourceConfig(
      String bootstrapServers,
      List<String> topics,
      @Nullable String consumerGroup,
      StartOffset startOffset,
      @Nullable Instant startTimestamp,
      @Nullable Instant stopTimestamp,
      @Nullable Long maxRecords,
      EventTimeFrom eventTimeFrom,
      String eventTimeField,
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      boolean stopAtEnd,
      Map<String, String> clientProperties) {
    this.stopAtEnd = stopAtEnd;
    this.clientProperties = new TreeMap<>(clientProperties);
    this.bootstrapServers = bootstrapServers;
    this.topics = List.copyOf(topics);
    this.consumerGroup = consumerGroup;
    this.startOffset = startOffset;
    this.startTimestamp = startTimestamp;
    this.stopTimestamp = stopTimestamp;
    this.maxRecords = maxRecords;
    this.eventTimeFrom = eventTimeFrom;
    this.eventTimeField = eventTimeField;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.idleTimeout = idleTimeout;
  }

  /**
   * Reads {@code topics} from {@code bootstrapServers} from the earliest offset, without a consumer
   * group (so nothing is committed), with event time from the payload field {@code eventTimeField},
   * no allowed disorder and a 10 s idle-partition timeout.
   */
  public static KafkaSourceConfig of(
      String bootstrapServers, List<String> topics, String eventTimeField) {
    checkArgument(
        bootstrapServers != null && !bootstrapServers.isBlank(),
        "bootstrapServers must not be blank: %s",
        bootstrapServers);
    checkArgument(
        topics != null && !topics.isEmpty() && topics.stream().noneMatch(String::isBlank),
        "topics must be a non-empty list of names: %s",
        topics);
    checkArgument(eventTimeField != null, "eventTimeField must not be null");
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        null,
        StartOffset.EARLIEST,
        null,
        null,
        null,
        EventTimeFrom.PAYLOAD,
        eventTimeField,
        Duration.ZERO,
        Duration.standardSeconds(10),
        false,
        Map.of());
  }

  /** Consumes as this group and commits offsets as bundles finalize, so a restart resumes. */
  public KafkaSourceConfig withConsumerGroup(@Nullable String group) {
    checkArgument(group == null || !group.isBlank(), "consumer group must not be blank");
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        group,
        startOffset,
        startTimestamp,
        stopTimestamp,
        maxRecords,
        eventTimeFrom,
        eventTimeField,
        maxOutOfOrderness,
        idleTimeout,
        stopAtEnd,
        clientProperties);
  }

  public KafkaSourceConfig withStartOffset(StartOffset offset) {
    checkArgument(offset != null, "startOffset must not be null");
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        consumerGroup,
        offset,
        startTimestamp,
        stopTimestamp,
        maxRecords,
        eventTimeFrom,
        eventTimeField,
        maxOutOfOrderness,
        idleTimeout,
        stopAtEnd,
        clientProperties);
  }

  /** Starts at the first record whose Kafka timestamp is at or after {@code time}. */
  public KafkaSourceConfig withStartTimestamp(@Nullable Instant time) {
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        consumerGroup,
        startOffset,
        time,
        stopTimestamp,
        maxRecords,
        eventTimeFrom,
        eventTimeField,
        maxOutOfOrderness,
        idleTimeout,
        stopAtEnd,
        clientProperties);
  }

  /** Stops before the first record whose Kafka timestamp is at or after {@code time}. */
  public KafkaSourceConfig withStopTimestamp(@Nullable Instant time) {
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        consumerGroup,
        startOffset,
        startTimestamp,
        time,
        maxRecords,
        eventTimeFrom,
        eventTimeField,
        maxOutOfOrderness,
        idleTimeout,
        stopAtEnd,
        clientProperties);
  }

  /** Reads this many records and stops (a bounded read); null reads for ever. */
  public KafkaSourceConfig withMaxRecords(@Nullable Long max) {
    checkArgument(max == null || max > 0, "maxRecords must be above 0: %s", max);
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        consumerGroup,
        startOffset,
        startTimestamp,
        stopTimestamp,
        max,
        eventTimeFrom,
        eventTimeField,
        maxOutOfOrderness,
        idleTimeout,
        stopAtEnd,
        clientProperties);
  }

  public KafkaSourceConfig withEventTimeFrom(EventTimeFrom from) {
    checkArgument(from != null, "eventTimeFrom must not be null");
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        consumerGroup,
        startOffset,
        startTimestamp,
        stopTimestamp,
        maxRecords,
        from,
        eventTimeField,
        maxOutOfOrderness,
        idleTimeout,
        stopAtEnd,
        clientProperties);
  }

  /** How far behind the latest event time of a partition its watermark stays. */
  public KafkaSourceConfig withMaxOutOfOrderness(Duration delay) {
    checkArgument(
        delay != null && !delay.isShorterThan(Duration.ZERO),
        "maxOutOfOrderness must be >= 0: %s",
        delay);
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        consumerGroup,
        startOffset,
        startTimestamp,
        stopTimestamp,
        maxRecords,
        eventTimeFrom,
        eventTimeField,
        delay,
        idleTimeout,
        stopAtEnd,
        clientProperties);
  }

  /** After this long caught up with no new record, a partition's watermark moves on its own. */
  public KafkaSourceConfig withIdleTimeout(Duration timeout) {
    checkArgument(
        timeout != null && timeout.isLongerThan(Duration.ZERO),
        "idleTimeout must be above 0: %s",
        timeout);
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        consumerGroup,
        startOffset,
        startTimestamp,
        stopTimestamp,
        maxRecords,
        eventTimeFrom,
        eventTimeField,
        maxOutOfOrderness,
        timeout,
        stopAtEnd,
        clientProperties);
  }

  /**
   * Reads each partition up to its end offset as of pipeline construction, then stops: a bounded
   * read of what the topics hold now (resuming from the group's committed offsets).
   */
  public KafkaSourceConfig withStopAtEnd(boolean stop) {
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        consumerGroup,
        startOffset,
        startTimestamp,
        stopTimestamp,
        maxRecords,
        eventTimeFrom,
        eventTimeField,
        maxOutOfOrderness,
        idleTimeout,
        stop,
        clientProperties);
  }

  /**
   * Kafka consumer settings passed through as they are (TLS, SASL, timeouts, Kafka's config
   * providers for secrets); the settings this source owns (deserializers, auto-commit off, offset
   * reset, group id, bootstrap servers) are refused here, since they would be overridden.
   */
  public KafkaSourceConfig withClientProperties(Map<String, String> properties) {
    KafkaClientProperties.checkNotOwned(properties, OWNED_CONSUMER_SETTINGS);
    return new KafkaSourceConfig(
        bootstrapServers,
        topics,
        consumerGroup,
        startOffset,
        startTimestamp,
        stopTimestamp,
        maxRecords,
        eventTimeFrom,
        eventTimeField,
        maxOutOfOrderness,
        idleTimeout,
        stopAtEnd,
        properties);
  }

  /** Consumer settings {@link ReadEvents} sets itself. */
  static final List<String> OWNED_CONSUMER_SETTINGS =
      List.of(
          "bootstrap.servers",
          "group.id",
          "enable.auto.commit",
          "auto.offset.reset",
          "key.deserializer",
          "value.deserializer");

  public Map<String, String> clientProperties() {
    return Collections.unmodifiableMap(clientProperties);
  }

  public boolean stopAtEnd() {
    return stopAtEnd;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public List<String> topics() {
    return topics;
  }

  public @Nullable String consumerGroup() {
    return consumerGroup;
  }

  public StartOffset startOffset() {
    return startOffset;
  }

  public @Nullable Instant startTimestamp() {
    return startTimestamp;
  }

  public @Nullable Instant stopTimestamp() {
    return stopTimestamp;
  }

  public @Nullable Long maxRecords() {
    return maxRecords;
  }

  public EventTimeFrom eventTimeFrom() {
    return eventTimeFrom;
  }

  public String eventTimeField() {
    return eventTimeField;
  }

  public Duration maxOutOfOrderness() {
    return maxOutOfOrderness;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }
}
