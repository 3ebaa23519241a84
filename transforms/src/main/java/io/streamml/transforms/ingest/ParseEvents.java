package io.streamml.transforms.ingest;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.batch.AnySkew;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Utf8;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Parses JSON events into Rows of the use case's event schema and validates them against the spec.
 *
 * <p>Guarantees: every input element comes out exactly once, either as an event (timestamped with
 * its event time) or as a {@link DeadLetter} (stage {@code parse} or {@code validate}, with the raw
 * payload and the reason). Records beyond the {@link IngestLimits} (size, text length, event time
 * before the earliest accepted or more than a bound ahead of the clock) are dead letters too. Works
 * on bounded and unbounded input; it neither windows nor reorders. Counts {@code events_parsed} and
 * {@code dead_letters} in the {@code streamml.ingest} metric namespace.
 */
public final class ParseEvents
    extends PTransform<PCollection<String>, WithFailures.Result<PCollection<Row>, Row>> {

  public static final String METRICS_NAMESPACE = "streamml.ingest";
  public static final String EVENTS_PARSED = "events_parsed";
  public static final String DEAD_LETTERS = "dead_letters";

  private final UseCaseSpec spec;
  private final String sourceName;
  private final IngestLimits limits;
  private final boolean keepRecordTimestamps;

  private ParseEvents(
      UseCaseSpec spec, String sourceName, IngestLimits limits, boolean keepRecordTimestamps) {
    this.spec = spec;
    this.sourceName = sourceName;
    this.limits = limits;
    this.keepRecordTimestamps = keepRecordTimestamps;
  }

  /**
   * Parses events of {@code spec} within the default {@link IngestLimits}; dead letters name their
   * source as {@code unknown}.
   */
  public static ParseEvents of(UseCaseSpec spec) {
    return new ParseEvents(spec, "unknown", IngestLimits.defaults(), false);
  }

  /** Replaces the size, length and event-time bounds. */
  public ParseEvents withLimits(IngestLimits limits) {
    checkArgument(limits != null, "limits must not be null");
    return new ParseEvents(spec, sourceName, limits, keepRecordTimestamps);
  }

  /**
   * Keeps each record's own timestamp (e.g. its Kafka timestamp, for {@code
   * --eventTimeFrom=kafkaTimestamp}) instead of stamping the event at its event-time field, so the
   * events' timestamps agree with the watermark the source derives from the same times.
   */
  public ParseEvents keepingRecordTimestamps() {
    return new ParseEvents(spec, sourceName, limits, true);
  }

  /** Names the source (e.g. {@code file:/data/*.jsonl}) in every dead letter. */
  public ParseEvents withSourceName(String sourceName) {
    checkArgument(
        sourceName != null && !sourceName.isBlank(),
        "sourceName must not be blank: %s",
        sourceName);
    return new ParseEvents(spec, sourceName, limits, keepRecordTimestamps);
  }

  @Override
  public WithFailures.Result<PCollection<Row>, Row> expand(PCollection<String> payloads) {
    TupleTag<Row> events = new TupleTag<Row>() {};
    TupleTag<Row> deadLetters = new TupleTag<Row>() {};
    PCollectionTuple parsed =
        payloads.apply(
            "ParseAndValidate",
            ParDo.of(
                    new ParseFn(
                        spec, sourceName, limits, keepRecordTimestamps, events, deadLetters))
                .withOutputTags(events, TupleTagList.of(deadLetters)));
    return WithFailures.Result.of(
        parsed.get(events).setRowSchema(spec.eventSchema()),
        parsed.get(deadLetters).setRowSchema(DeadLetter.SCHEMA));
  }

  private static final class ParseFn extends DoFn<String, Row> {
    private final UseCaseSpec spec;
    private final String sourceName;
    private final TupleTag<Row> events;
    private final TupleTag<Row> deadLetters;
    private final RowJsonCodec codec;
    private final EventValidator validator;
    private final int maxRecordBytes;
    private final boolean keepRecordTimestamps;
    private final Counter parsed = Metrics.counter(METRICS_NAMESPACE, EVENTS_PARSED);
    private final Counter failed = Metrics.counter(METRICS_NAMESPACE, DEAD_LETTERS);

    ParseFn(
        UseCaseSpec spec,
        String sourceName,
        IngestLimits limits,
        boolean keepRecordTimestamps,
        TupleTag<Row> events,
        TupleTag<Row> deadLetters) {
      this.keepRecordTimestamps = keepRecordTimestamps;
      this.spec = spec;
      this.sourceName = sourceName;
      this.events = events;
      this.deadLetters = deadLetters;
      this.codec = RowJsonCodec.of(spec.eventSchema());
      this.validator = new EventValidator(spec, limits);
      this.maxRecordBytes = limits.maxRecordBytes();
    }

    @ProcessElement
    public void process(@Element String payload, MultiOutputReceiver out) {
      if (RawPayloads.isNotUtf8(payload)) {
        String raw = RawPayloads.deadLetterPayload(payload);
        deadLetter(
            out,
            DeadLetter.Stage.PARSE,
            raw,
            "Not UTF-8 text; the bytes are kept Base64-encoded in raw_payload",
            null);
        return;
      }
      // A UTF-8 byte is at least a third of a char: only long records need counting.
      if (payload.length() > maxRecordBytes / 3 && Utf8.encodedLength(payload) > maxRecordBytes) {
        deadLetter(
            out,
            DeadLetter.Stage.PARSE,
            payload,
            "Record of "
                + Utf8.encodedLength(payload)
                + " bytes, above the limit of "
                + maxRecordBytes
                + " bytes",
            null);
        return;
      }
      Row event;
      try {
        event = codec.parse(payload);
      } catch (RuntimeException | StackOverflowError e) {
        // Jackson bounds nesting depth; the catch of StackOverflowError is a second fence.
        deadLetter(out, DeadLetter.Stage.PARSE, payload, parseError(payload, e), null);
        return;
      }
      Instant eventTime = event.getDateTime(spec.eventTimeField()).toInstant();
      String violation = validator.firstViolation(event, Instant.now());
      if (violation != null) {
        deadLetter(out, DeadLetter.Stage.VALIDATE, payload, violation, eventTime);
        return;
      }
      parsed.inc();
      if (keepRecordTimestamps) {
        out.get(events).output(event);
      } else {
        out.get(events).outputWithTimestamp(event, eventTime);
      }
    }

    private void deadLetter(
        MultiOutputReceiver out,
        String stage,
        String payload,
        String error,
        @Nullable Instant eventTime) {
      failed.inc();
      out.get(deadLetters)
          .output(DeadLetter.of(sourceName, stage, payload, error, eventTime, Instant.now()));
    }

    // Events carry their own time, which may be earlier than the element's arrival timestamp
    // (e.g. a processing-time source); the source's watermark, not this DoFn, governs lateness.
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return AnySkew.ALLOWED;
    }
  }

  /** The messages of the exception and its causes, outermost first, without repeats. */
  private static String parseError(String payload, Throwable e) {
    if (payload.isBlank()) {
      return "Empty record";
    }
    StringBuilder reason = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      // Jackson appends the source location; the payload is in the dead letter already.
      int location = message.indexOf("\n at [Source");
      message = (location >= 0 ? message.substring(0, location) : message).trim();
      if (reason.indexOf(message) < 0) {
        reason.append(reason.length() == 0 ? "" : ": ").append(message);
      }
    }
    return reason.toString();
  }
}
