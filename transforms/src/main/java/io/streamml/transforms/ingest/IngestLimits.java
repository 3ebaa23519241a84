package io.streamml.transforms.ingest;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.io.Serializable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Bounds on what {@link ParseEvents} accepts beyond the spec's own rules, so that one hostile
 * record can neither exhaust a worker nor move the watermark: the record's size, any text field's
 * length, and how far its event time may lie in the past or ahead of the time it is read. A record
 * outside them is dead-lettered, never dropped. Immutable; the defaults suit the built-in use
 * cases.
 */
public final class IngestLimits implements Serializable {

  /** 1 MiB: a JSON event is a few hundred bytes; Kafka's default maximum message is 1 MiB. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

  public static final int DEFAULT_MAX_STRING_LENGTH = 64 * 1024;

  /** Before the Unix epoch no event of ours can have happened; Beam's minimum is far earlier. */
  public static final Instant DEFAULT_EARLIEST_EVENT_TIME = new Instant(0);

  /** A day ahead of the clock covers clock skew; a year-9999 event would stall every window. */
  public static final Duration DEFAULT_MAX_AHEAD = Duration.standardDays(1);

  private final int maxRecordBytes;
  private final int maxStringLength;
  private final Instant earliestEventTime;
  private final Duration maxAhead;

  private IngestLimits(
      int maxRecordBytes, int maxStringLength, Instant earliestEventTime, Duration maxAhead) {
    this.maxRecordBytes = maxRecordBytes;
    this.maxStringLength = maxStringLength;
    this.earliestEventTime = earliestEventTime;
    this.maxAhead = maxAhead;
  }

  public static IngestLimits defaults() {
    return new IngestLimits(
        DEFAULT_MAX_RECORD_BYTES,
        DEFAULT_MAX_STRING_LENGTH,
        DEFAULT_EARLIEST_EVENT_TIME,
        DEFAULT_MAX_AHEAD);
  }

  public IngestLimits withMaxRecordBytes(int bytes) {
    checkArgument(bytes > 0, "maxRecordBytes must be > 0, not %s", bytes);
    return new IngestLimits(bytes, maxStringLength, earliestEventTime, maxAhead);
  }

  public IngestLimits withMaxStringLength(int characters) {
    checkArgument(characters > 0, "maxStringLength must be > 0, not %s", characters);
    return new IngestLimits(maxRecordBytes, characters, earliestEventTime, maxAhead);
  }

  public IngestLimits withEarliestEventTime(Instant earliest) {
    checkArgument(earliest != null, "earliestEventTime must not be null");
    return new IngestLimits(maxRecordBytes, maxStringLength, earliest, maxAhead);
  }

  /** How far ahead of the reading worker's clock an event time may be. */
  public IngestLimits withMaxAhead(Duration ahead) {
    checkArgument(
        ahead != null && !ahead.isShorterThan(Duration.ZERO), "maxAhead must be >= 0: %s", ahead);
    return new IngestLimits(maxRecordBytes, maxStringLength, earliestEventTime, ahead);
  }

  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  public int maxStringLength() {
    return maxStringLength;
  }

  public Instant earliestEventTime() {
    return earliestEventTime;
  }

  public Duration maxAhead() {
    return maxAhead;
  }
}
