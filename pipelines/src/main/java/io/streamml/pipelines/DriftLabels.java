package io.streamml.pipelines;

import io.streamml.pipelines.options.DriftOptions;
import io.streamml.schemas.FieldSpec;
import io.streamml.schemas.ModelPerformance;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.ingest.ParseEvents;
import io.streamml.transforms.ingest.ReadEvents;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The delayed labels a drift run measures model quality with ({@code ModelPerformance} label rows,
 * timestamped with the labelled event's time): from label files ({@code --labelFiles}: JSON lines
 * of {@code event_id}, {@code label} (1/0), {@code event_time} and optionally {@code label_time};
 * bad lines go to dead letters), and/or from the events' own label field ({@code
 * --labelsFromEvents}), which arrives {@code --labelDelayMinutes} after the event.
 */
final class DriftLabels {

  static final String LABEL_TIME = "label_time";

  /** What a label file holds; parsed by the same ParseEvents as events, dead letters included. */
  static final UseCaseSpec LABEL_FILE_SPEC =
      UseCaseSpec.builder("labels")
          .description("Labels arriving apart from their events, e.g. chargebacks.")
          .idField(ModelPerformance.EVENT_ID)
          .keyField(ModelPerformance.EVENT_ID)
          .eventTimeField(ModelPerformance.EVENT_TIME)
          .field(FieldSpec.of(ModelPerformance.EVENT_ID, FieldSpec.Type.STRING))
          .field(FieldSpec.of(ModelPerformance.LABEL, FieldSpec.Type.DOUBLE).withRange(0.0, 1.0))
          .field(FieldSpec.of(ModelPerformance.EVENT_TIME, FieldSpec.Type.TIMESTAMP))
          .field(FieldSpec.of(LABEL_TIME, FieldSpec.Type.TIMESTAMP).nullable())
          .build();

  private DriftLabels() {}

  static boolean requested(DriftOptions options) {
    return options.getLabelFiles() != null || options.getLabelsFromEvents();
  }

  /** The labels the flags ask for (call only if {@link #requested}); bad lines to deadLetters. */
  static PCollection<Row> read(
      Pipeline pipeline,
      DriftOptions options,
      UseCaseSpec spec,
      PCollection<Row> events,
      List<PCollection<Row>> deadLetters) {
    PCollectionList<Row> labels = PCollectionList.empty(pipeline);
    if (options.getLabelFiles() != null) {
      ReadEvents read = ReadEvents.fromJsonLines(options.getLabelFiles());
      WithFailures.Result<PCollection<Row>, Row> parsed =
          pipeline
              .apply("ReadLabels", read)
              .apply(
                  "ParseLabels", ParseEvents.of(LABEL_FILE_SPEC).withSourceName(read.sourceName()));
      deadLetters.add(parsed.failures());
      labels =
          labels.and(
              parsed
                  .output()
                  .apply(
                      "ToLabelRows",
                      MapElements.into(TypeDescriptors.rows())
                          .via(
                              l ->
                                  label(
                                      l.getString(ModelPerformance.EVENT_ID),
                                      l.getDouble(ModelPerformance.LABEL),
                                      l.getDateTime(ModelPerformance.EVENT_TIME).toInstant())))
                  .setRowSchema(ModelPerformance.labelSchema()));
    }
    if (options.getLabelsFromEvents()) {
      labels = labels.and(fromEvents(events, spec, options.getLabelDelayMinutes()));
    }
    return labels
        .apply("CollectLabels", Flatten.pCollections())
        .setRowSchema(ModelPerformance.labelSchema());
  }

  /**
   * The events' labels. On bounded input, a label that would arrive after the last event (its event
   * time plus the delay) is not known yet when the data ends, so it is left out: the last windows
   * of a run have fewer labels, as they would in production.
   */
  private static PCollection<Row> fromEvents(
      PCollection<Row> events, UseCaseSpec spec, int delayMinutes) {
    if (spec.labelField() == null) {
      throw new IllegalArgumentException(
          "--labelsFromEvents: use case '" + spec.name() + "' declares no labelField");
    }
    Duration delay = Duration.standardMinutes(delayMinutes);
    PCollectionView<Long> end = null;
    if (events.isBounded() == PCollection.IsBounded.BOUNDED && delayMinutes > 0) {
      end =
          events
              .apply(
                  "EventTimes",
                  MapElements.into(TypeDescriptors.longs())
                      .via(e -> e.getDateTime(spec.eventTimeField()).getMillis()))
              .apply("LastEventTime", Combine.globally(Max.ofLongs()).asSingletonView());
    }
    PCollectionView<Long> dataEnd = end;
    DoFn<Row, Row> toLabel =
        new DoFn<Row, Row>() {
          @ProcessElement
          public void process(ProcessContext context) {
            Row event = context.element();
            Double label = asDouble(event.getValue(spec.labelField()));
            String id = event.getString(spec.idField());
            if (label == null || id == null) {
              return;
            }
            Instant time = event.getDateTime(spec.eventTimeField()).toInstant();
            if (dataEnd != null && time.plus(delay).getMillis() > context.sideInput(dataEnd)) {
              return;
            }
            context.output(label(id, label, time));
          }
        };
    ParDo.SingleOutput<Row, Row> labels = ParDo.of(toLabel);
    return events
        .apply("LabelsFromEvents", dataEnd == null ? labels : labels.withSideInputs(dataEnd))
        .setRowSchema(ModelPerformance.labelSchema());
  }

  private static @Nullable Double asDouble(@Nullable Object value) {
    if (value instanceof Boolean) {
      return (Boolean) value ? 1.0 : 0.0;
    }
    return value instanceof Number ? ((Number) value).doubleValue() : null;
  }

  private static Row label(String eventId, double label, Instant eventTime) {
    return Row.withSchema(ModelPerformance.labelSchema())
        .withFieldValue(ModelPerformance.EVENT_ID, eventId)
        .withFieldValue(ModelPerformance.LABEL, label)
        .withFieldValue(ModelPerformance.EVENT_TIME, eventTime)
        .build();
  }
}
