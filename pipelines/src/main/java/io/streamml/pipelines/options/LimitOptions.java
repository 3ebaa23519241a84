package io.streamml.pipelines.options;

import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.FeatureSetSpec;
import io.streamml.transforms.ingest.IngestLimits;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Bounds on what one record or one key may cost: records beyond the ingest limits are dead-lettered
 * with the reason, and a spec whose features would keep too much state per key is refused before
 * any data is read.
 */
public interface LimitOptions extends PipelineOptions {

  @Description("Dead-letter records larger than this many bytes.")
  @Default.Integer(IngestLimits.DEFAULT_MAX_RECORD_BYTES)
  Integer getMaxRecordBytes();

  void setMaxRecordBytes(Integer value);

  @Description("Dead-letter records with a text field longer than this many characters.")
  @Default.Integer(IngestLimits.DEFAULT_MAX_STRING_LENGTH)
  Integer getMaxStringLength();

  void setMaxStringLength(Integer value);

  @Description("Dead-letter events whose time is before this instant (ISO-8601).")
  @Default.String("1970-01-01T00:00:00Z")
  String getEarliestEventTime();

  void setEarliestEventTime(String value);

  @Description(
      "Dead-letter events whose time is more than this many seconds ahead of the clock of the"
          + " worker reading them (one year-9999 event would otherwise stall every window).")
  @Default.Long(86_400)
  Long getMaxSecondsAhead();

  void setMaxSecondsAhead(Long value);

  @Description(
      "Dead-letter an event (stage dedupe) whose id was already let through within this many"
          + " seconds of event time, e.g. a record a producer sent twice or a source read again"
          + " after a restore; 0 (the default) turns it off. Each id is kept in state this long."
          + " On Flink, set it above your longest outage: a restored job reads records again."
          + " With it on, a Kafka record read again (same partition and offset) is dropped before"
          + " parsing and counted, so a malformed one repeats no dead letter.")
  @Default.Long(0)
  Long getDedupeSeconds();

  void setDedupeSeconds(Long value);

  @Description(
      "Refuse a use-case spec whose features keep a key's state for longer than this many seconds"
          + " of event time (longest window plus allowed lateness); the default is 35 days.")
  @Default.Long(35 * 86_400)
  Long getMaxStateRetentionSeconds();

  void setMaxStateRetentionSeconds(Long value);

  @Description(
      "Refuse sliding windows that put each event into more windows than this (size / period).")
  @Default.Long(1_000)
  Long getMaxWindowsPerEvent();

  void setMaxWindowsPerEvent(Long value);

  /** How far apart in event time two events with one id are still copies; null for no check. */
  static Duration dedupeHorizon(LimitOptions options) {
    long seconds = options.getDedupeSeconds();
    if (seconds < 0) {
      throw new IllegalArgumentException("--dedupeSeconds must be 0 (off) or more, not " + seconds);
    }
    return seconds == 0 ? null : Duration.standardSeconds(seconds);
  }

  /** The ingest limits the flags give; a bad value is one clear line. */
  static IngestLimits ingestLimits(LimitOptions options) {
    requirePositive("--maxRecordBytes", options.getMaxRecordBytes());
    requirePositive("--maxStringLength", options.getMaxStringLength());
    if (options.getMaxSecondsAhead() < 0) {
      throw new IllegalArgumentException(
          "--maxSecondsAhead must be 0 or more, not " + options.getMaxSecondsAhead());
    }
    Instant earliest;
    try {
      earliest = Instant.parse(options.getEarliestEventTime());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--earliestEventTime wants an ISO-8601 time such as 2020-01-01T00:00:00Z, not '"
              + options.getEarliestEventTime()
              + "'");
    }
    return IngestLimits.defaults()
        .withMaxRecordBytes(options.getMaxRecordBytes())
        .withMaxStringLength(options.getMaxStringLength())
        .withEarliestEventTime(earliest)
        .withMaxAhead(Duration.standardSeconds(options.getMaxSecondsAhead()));
  }

  /**
   * Refuses, in one line naming the flag to raise, a spec whose features would keep more state per
   * key than the limits allow.
   */
  static void checkFeatureState(UseCaseSpec spec, LimitOptions options) {
    FeatureSetSpec features = spec.features();
    if (features == null) {
      return;
    }
    long retention = features.stateRetentionSeconds();
    if (retention > options.getMaxStateRetentionSeconds()) {
      throw new IllegalArgumentException(
          "Use case '"
              + spec.name()
              + "' keeps each key's state for "
              + retention
              + " s of event time (longest window plus allowed lateness), more than"
              + " --maxStateRetentionSeconds="
              + options.getMaxStateRetentionSeconds()
              + "; shorten the window or raise the flag");
    }
    long windows = features.windowsPerEvent();
    if (windows > options.getMaxWindowsPerEvent()) {
      throw new IllegalArgumentException(
          "Use case '"
              + spec.name()
              + "' puts each event into "
              + windows
              + " sliding windows (size / period), more than --maxWindowsPerEvent="
              + options.getMaxWindowsPerEvent()
              + "; lengthen the period or raise the flag");
    }
  }

  private static void requirePositive(String flag, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(flag + " must be above 0, not " + value);
    }
  }
}
