package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.FeatureSetSpec;
import io.streamml.transforms.batch.BatchShards;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Carries an event field (the segment, e.g. merchant category or machine type) onto the rows
 * computed from the events, FeatureVector or Score rows, so {@link ProfileWindow#withSegmentField}
 * can profile per segment: the output is each input row with one more top-level nullable string
 * field named like the segment field.
 *
 * <p>Per-event features are joined to their event by event id (exact). Per-window features have no
 * event id; they take the value of their key's latest event in the same window of {@code window}
 * (meant for attributes of the entity, such as a machine's type). A row whose event is not found
 * gets a null segment; nothing is dropped. Input: a {@link PCollectionTuple} with {@link #ROWS} and
 * {@link #EVENTS} (parsed events of the spec, timestamped with their event time); on unbounded
 * input both are joined in fixed windows of {@code window} with the given allowed lateness.
 */
public final class AttachSegment extends PTransform<PCollectionTuple, PCollection<Row>> {

  public static final TupleTag<Row> ROWS = new TupleTag<Row>() {};
  public static final TupleTag<Row> EVENTS = new TupleTag<Row>() {};

  private final UseCaseSpec spec;
  private final String segmentField;
  private final Duration window;
  private final Duration allowedLateness;

  private AttachSegment(
      UseCaseSpec spec, String segmentField, Duration window, Duration allowedLateness) {
    this.spec = spec;
    this.segmentField = segmentField;
    this.window = window;
    this.allowedLateness = allowedLateness;
  }

  /**
   * Joins {@code segmentField} of {@code spec}'s events, per-window shapes within {@code window}.
   */
  public static AttachSegment of(UseCaseSpec spec, String segmentField, Duration window) {
    checkArgument(window.getMillis() > 0, "window must be positive, got %s", window);
    checkArgument(
        spec.enrichedSchema().hasField(segmentField),
        "segment field '%s' is not a field of use case '%s' (fields: %s)",
        segmentField,
        spec.name(),
        spec.enrichedSchema().getFieldNames());
    return new AttachSegment(spec, segmentField, window, Duration.ZERO);
  }

  public AttachSegment withAllowedLateness(Duration lateness) {
    checkArgument(!lateness.isShorterThan(Duration.ZERO), "negative lateness %s", lateness);
    return new AttachSegment(spec, segmentField, window, lateness);
  }

  /** The schema of the output rows: the input's plus the segment field. */
  public static Schema outputSchema(Schema input, String segmentField) {
    checkArgument(
        !input.hasField(segmentField),
        "segment field '%s' clashes with a field of the rows (%s)",
        segmentField,
        input.getFieldNames());
    return Schema.builder()
        .addFields(input.getFields())
        .addNullableField(segmentField, Schema.FieldType.STRING)
        .build();
  }

  @Override
  public PCollection<Row> expand(PCollectionTuple input) {
    PCollection<Row> rows = input.get(ROWS);
    PCollection<Row> events = input.get(EVENTS);
    Schema output = outputSchema(rows.getSchema(), segmentField);
    boolean perEvent =
        spec.features() == null || spec.features().shape() == FeatureSetSpec.Shape.PER_EVENT;
    boolean bounded =
        rows.isBounded() == PCollection.IsBounded.BOUNDED
            && events.isBounded() == PCollection.IsBounded.BOUNDED;
    FixedWindows windows = FixedWindows.of(window);
    String idField = spec.idField();
    String keyField = spec.keyField();
    String timeField = spec.eventTimeField();
    String segment = segmentField;
    PCollection<KV<String, KV<String, Row>>> keyedRows =
        rejoinable(
            rows.apply(
                "KeyRows",
                ParDo.of(
                    new KeyFn(
                        perEvent,
                        bounded,
                        windows,
                        FeatureVector.EVENT_ID,
                        FeatureVector.KEY,
                        FeatureVector.FEATURE_TIME))),
            rows.getCoder(),
            "Rows",
            bounded);
    PCollection<KV<String, KV<String, Row>>> keyedEvents =
        rejoinable(
            events.apply(
                "KeyEvents",
                ParDo.of(new KeyFn(perEvent, bounded, windows, idField, keyField, timeField))),
            events.getCoder(),
            "Events",
            bounded);
    TupleTag<KV<String, Row>> rowTag = new TupleTag<>();
    TupleTag<KV<String, Row>> eventTag = new TupleTag<>();
    return KeyedPCollectionTuple.of(rowTag, keyedRows)
        .and(eventTag, keyedEvents)
        .apply("JoinEvents", CoGroupByKey.create())
        .apply(
            "AddSegment", ParDo.of(new AddSegmentFn(rowTag, eventTag, output, segment, timeField)))
        .setRowSchema(output);
  }

  private PCollection<KV<String, KV<String, Row>>> rejoinable(
      PCollection<KV<String, KV<String, Row>>> keyed,
      org.apache.beam.sdk.coders.Coder<Row> rowCoder,
      String name,
      boolean bounded) {
    keyed.setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), rowCoder)));
    // The earliest timestamp of a group is at or before each row's own feature time, so each row
    // can be put back at its own time after the join.
    if (bounded) {
      // Per-window vectors arrive in their feature windows, events in the global window: join
      // both in the global window with the default trigger (the join key holds the window where
      // one is needed; the features' late firings have no meaning once all data is in).
      return keyed.apply(
          "KeepTimesOf" + name,
          Window.<KV<String, KV<String, Row>>>into(new GlobalWindows())
              .triggering(DefaultTrigger.of())
              .withAllowedLateness(Duration.ZERO)
              .discardingFiredPanes()
              .withTimestampCombiner(TimestampCombiner.EARLIEST));
    }
    return keyed.apply(
        "Window" + name,
        Window.<KV<String, KV<String, Row>>>into(FixedWindows.of(window))
            .withTimestampCombiner(TimestampCombiner.EARLIEST)
            .withAllowedLateness(allowedLateness)
            .discardingFiredPanes());
  }

  /**
   * Keys a row or event by its join key, event id (per-event) or key and window start (per-window),
   * carried in the value. A stream groups by the join key; bounded input by a shard of it
   * (BatchShards), regrouped by join key after.
   */
  private static final class KeyFn extends DoFn<Row, KV<String, KV<String, Row>>> {
    private final boolean perEvent;
    private final boolean bounded;
    private final FixedWindows windows;
    private final String idField;
    private final String keyField;
    private final String timeField;

    KeyFn(
        boolean perEvent,
        boolean bounded,
        FixedWindows windows,
        String idField,
        String keyField,
        String time) {
      this.perEvent = perEvent;
      this.bounded = bounded;
      this.windows = windows;
      this.idField = idField;
      this.keyField = keyField;
      this.timeField = time;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<String, KV<String, Row>>> out) {
      String joinKey;
      if (perEvent) {
        joinKey = row.getString(idField);
      } else {
        Instant time = row.getDateTime(timeField).toInstant();
        joinKey = row.getString(keyField) + "@" + windows.assignWindow(time).start().getMillis();
      }
      // A row without an id still goes through, with a key no event has.
      String key = joinKey == null ? "\u0000" + row.hashCode() : joinKey;
      String group = bounded ? String.valueOf(BatchShards.of(key, BatchShards.JOINS)) : key;
      out.output(KV.of(group, KV.of(key, row)));
    }
  }

  private static final class AddSegmentFn extends DoFn<KV<String, CoGbkResult>, Row> {
    private final TupleTag<KV<String, Row>> rowTag;
    private final TupleTag<KV<String, Row>> eventTag;
    private final Schema output;
    private final String segmentField;
    private final String timeField;

    AddSegmentFn(
        TupleTag<KV<String, Row>> rowTag,
        TupleTag<KV<String, Row>> eventTag,
        Schema output,
        String segmentField,
        String timeField) {
      this.rowTag = rowTag;
      this.eventTag = eventTag;
      this.output = output;
      this.segmentField = segmentField;
      this.timeField = timeField;
    }

    @ProcessElement
    public void process(ProcessContext context) {
      CoGbkResult joined = context.element().getValue();
      Map<String, Row> latestByKey = new HashMap<>();
      for (KV<String, Row> keyed : joined.getAll(eventTag)) {
        Row event = keyed.getValue();
        latestByKey.merge(
            keyed.getKey(),
            event,
            (a, b) -> b.getDateTime(timeField).isAfter(a.getDateTime(timeField)) ? b : a);
      }
      for (KV<String, Row> keyed : joined.getAll(rowTag)) {
        Row latest = latestByKey.get(keyed.getKey());
        Object value = latest == null ? null : latest.getValue(segmentField);
        @Nullable String segment = value == null ? null : String.valueOf(value);
        Row row = keyed.getValue();
        List<Object> values = new ArrayList<>(row.getValues());
        values.add(segment);
        context.outputWithTimestamp(
            Row.withSchema(output).addValues(values).build(),
            row.getDateTime(FeatureVector.FEATURE_TIME).toInstant());
      }
    }
  }
}
