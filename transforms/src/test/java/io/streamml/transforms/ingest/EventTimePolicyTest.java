package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;

import io.streamml.transforms.ingest.KafkaSourceConfig.EventTimeFrom;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class EventTimePolicyTest {

  private static final Instant WALL = Instant.parse("2026-06-01T12:00:00Z");
  private static final Duration IDLE = Duration.standardSeconds(10);

  /** A settable processing-time clock. */
  private static final class TestClock implements EventTimePolicy.Clock {
    Instant now = WALL;

    @Override
    public Instant now() {
      return now;
    }
  }

  private static final class Context extends PartitionContext {
    long backlog;

    @Override
    public long getMessageBacklog() {
      return backlog;
    }

    @Override
    public Instant getBacklogCheckTime() {
      return WALL;
    }
  }

  private static KafkaRecord<byte[], byte[]> record(String payload, Instant kafkaTime) {
    return new KafkaRecord<>(
        "events",
        0,
        0,
        kafkaTime.getMillis(),
        KafkaTimestampType.CREATE_TIME,
        null,
        KV.of(null, payload.getBytes(StandardCharsets.UTF_8)));
  }

  private final TestClock clock = new TestClock();
  private final Context context = new Context();

  private EventTimePolicy policy(EventTimeFrom from, Duration delay) {
    return new EventTimePolicy(from, "event_time", delay, IDLE, Optional.empty(), clock);
  }

  @Test
  public void timestampsComeFromThePayloadAndFallBackToKafkaTime() {
    EventTimePolicy policy = policy(EventTimeFrom.PAYLOAD, Duration.ZERO);
    Instant kafkaTime = WALL.minus(Duration.standardMinutes(1));
    assertEquals(
        Instant.parse("2026-01-01T00:00:05Z"),
        policy.getTimestampForRecord(
            context, record("{\"event_time\":\"2026-01-01T00:00:05Z\"}", kafkaTime)));
    assertEquals(kafkaTime, policy.getTimestampForRecord(context, record("not json", kafkaTime)));
    assertEquals(
        kafkaTime,
        policy(EventTimeFrom.KAFKA_TIMESTAMP, Duration.ZERO)
            .getTimestampForRecord(
                context, record("{\"event_time\":\"2026-01-01T00:00:05Z\"}", kafkaTime)));
  }

  @Test
  public void watermarkTrailsTheLatestEventTimeAndNeverGoesBack() {
    EventTimePolicy policy = policy(EventTimeFrom.PAYLOAD, Duration.standardSeconds(5));
    context.backlog = 10;
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark(context));
    policy.getTimestampForRecord(
        context, record("{\"event_time\":\"2026-01-01T00:01:00Z\"}", WALL));
    assertEquals(Instant.parse("2026-01-01T00:00:55Z"), policy.getWatermark(context));
    policy.getTimestampForRecord(
        context, record("{\"event_time\":\"2026-01-01T00:00:10Z\"}", WALL));
    assertEquals(Instant.parse("2026-01-01T00:00:55Z"), policy.getWatermark(context));
  }

  @Test
  public void anIdlePartitionMovesItsWatermarkToNowOnlyAfterTheTimeout() {
    EventTimePolicy policy = policy(EventTimeFrom.PAYLOAD, Duration.standardSeconds(5));
    policy.getTimestampForRecord(
        context, record("{\"event_time\":\"2026-01-01T00:01:00Z\"}", WALL));
    context.backlog = 0;
    clock.now = WALL.plus(IDLE).minus(Duration.millis(1));
    assertEquals(Instant.parse("2026-01-01T00:00:55Z"), policy.getWatermark(context));
    clock.now = WALL.plus(IDLE);
    assertEquals(clock.now.minus(Duration.standardSeconds(5)), policy.getWatermark(context));
  }

  @Test
  public void aPartitionWithBacklogIsNeverIdle() {
    EventTimePolicy policy = policy(EventTimeFrom.PAYLOAD, Duration.ZERO);
    policy.getTimestampForRecord(
        context, record("{\"event_time\":\"2026-01-01T00:01:00Z\"}", WALL));
    context.backlog = 3;
    clock.now = WALL.plus(Duration.standardHours(1));
    assertEquals(Instant.parse("2026-01-01T00:01:00Z"), policy.getWatermark(context));
  }
}
