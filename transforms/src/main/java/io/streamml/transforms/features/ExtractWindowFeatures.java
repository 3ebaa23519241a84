package io.streamml.transforms.features;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.WindowSpec;
import io.streamml.transforms.batch.AnySkew;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Per-window features: one FeatureVector per key per event-time window (tumbling, sliding or
 * session), stamped at the window's end and labelled with the latest event's label.
 *
 * <p>Panes: one on-time pane when the watermark passes the window's end; with {@code
 * earlyFiringSeconds}, speculative panes before it; with allowed lateness, a late pane per late
 * event. Panes accumulate, so every pane holds the values over all events seen so far. Events later
 * than the allowed lateness are dropped by the runner's windowing and counted in Beam's {@code
 * droppedDueToLateness} metric.
 */
public final class ExtractWindowFeatures extends PTransform<PCollection<Row>, PCollection<Row>> {

  private final UseCaseSpec spec;

  private ExtractWindowFeatures(UseCaseSpec spec) {
    this.spec = spec;
  }

  static ExtractWindowFeatures of(UseCaseSpec spec) {
    return new ExtractWindowFeatures(spec);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> events) {
    WindowSpec window = spec.features().window();
    FeatureVectorRows vectors = new FeatureVectorRows(spec);
    PCollection<KV<String, Row>> keyed =
        events.apply("KeyByEntity", new KeyByEntity(spec.keyField()));
    if (events.isBounded() == PCollection.IsBounded.BOUNDED
        && window.type() != WindowSpec.Type.SESSION) {
      // All events are known and every window is complete: each key's windows are computed at
      // once from its whole history (the same accumulators), in shards of keys, instead of one
      // runner window and timer per key and window, which runners like the Direct runner pay
      // for one by one. Sessions merge, so they keep the runner's windowing.
      return keyed
          .apply("GroupByKeyShard", new GroupByKeyShard(events.getSchema()))
          .apply("ComputeWindowFeaturesInBatch", ParDo.of(new BatchWindowsFn(spec, vectors)))
          .setRowSchema(vectors.schema());
    }
    return keyed
        .apply("IntoFeatureWindows", windowing(window))
        .apply("AggregateFeatures", Combine.perKey(new FeatureCombineFn(spec)))
        // Accumulators travel between workers only inside a combine; Java serialization keeps
        // their sketch and Welford state exact, and needs no determinism (never a key).
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(FeatureAccumulator.class)))
        .apply("ToFeatureVector", ParDo.of(new ToVectorFn(vectors)))
        .setRowSchema(vectors.schema());
  }

  private static Window<KV<String, Row>> windowing(WindowSpec spec) {
    WindowFn<Object, ?> windowFn;
    switch (spec.type()) {
      case TUMBLING:
        windowFn = FixedWindows.of(Duration.standardSeconds(spec.sizeSeconds()));
        break;
      case SLIDING:
        windowFn =
            SlidingWindows.of(Duration.standardSeconds(spec.sizeSeconds()))
                .every(Duration.standardSeconds(spec.periodSeconds()));
        break;
      default:
        windowFn = Sessions.withGapDuration(Duration.standardSeconds(spec.gapSeconds()));
        break;
    }
    AfterWatermark.AfterWatermarkEarlyAndLate trigger =
        AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1));
    Trigger withEarly =
        spec.earlyFiringSeconds() == null
            ? trigger
            : trigger.withEarlyFirings(
                AfterProcessingTime.pastFirstElementInPane()
                    .plusDelayOf(Duration.standardSeconds(spec.earlyFiringSeconds())));
    return Window.<KV<String, Row>>into(windowFn)
        .triggering(withEarly)
        .withAllowedLateness(Duration.standardSeconds(spec.allowedLatenessSeconds()))
        // An on-time pane with nothing new would repeat (or, empty, invent) a vector.
        .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
        .accumulatingFiredPanes();
  }

  private static final class FeatureCombineFn
      extends Combine.CombineFn<Row, FeatureAccumulator, FeatureAccumulator> {
    private final UseCaseSpec spec;

    FeatureCombineFn(UseCaseSpec spec) {
      this.spec = spec;
    }

    @Override
    public FeatureAccumulator createAccumulator() {
      return new FeatureAccumulator(spec);
    }

    @Override
    public FeatureAccumulator addInput(FeatureAccumulator accumulator, Row event) {
      accumulator.add(event);
      return accumulator;
    }

    @Override
    public FeatureAccumulator mergeAccumulators(Iterable<FeatureAccumulator> accumulators) {
      FeatureAccumulator merged = createAccumulator();
      accumulators.forEach(merged::merge);
      return merged;
    }

    @Override
    public FeatureAccumulator extractOutput(FeatureAccumulator accumulator) {
      return accumulator;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<FeatureAccumulator> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Row> inputCoder) {
      return SerializableCoder.of(FeatureAccumulator.class);
    }
  }

  /** Bounded tumbling or sliding windows: a shard of keys' histories, each key's windows. */
  private static final class BatchWindowsFn
      extends DoFn<KV<Integer, Iterable<KV<String, Row>>>, Row> {
    private final UseCaseSpec spec;
    private final FeatureVectorRows vectors;
    private final Counter computed = Metrics.counter("streamml.features", "vectors_computed");

    BatchWindowsFn(UseCaseSpec spec, FeatureVectorRows vectors) {
      this.spec = spec;
      this.vectors = vectors;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, Row>>> shard, OutputReceiver<Row> out) {
      GroupByKeyShard.byKey(shard.getValue())
          .forEach(
              (key, events) ->
                  FeatureLoop.windowsOfKey(
                      spec,
                      vectors,
                      key,
                      events,
                      vector -> {
                        // Stamped like a runner window's output: at the window's last instant.
                        Instant end = vector.getDateTime(FeatureVector.FEATURE_TIME).toInstant();
                        out.outputWithTimestamp(vector, end.minus(Duration.millis(1)));
                        computed.inc();
                      }));
    }

    // Vectors are stamped at their window's end, which may precede the grouped element's.
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return AnySkew.ALLOWED;
    }
  }

  private static final class ToVectorFn extends DoFn<KV<String, FeatureAccumulator>, Row> {
    private final FeatureVectorRows vectors;
    private final Counter computed = Metrics.counter("streamml.features", "vectors_computed");

    ToVectorFn(FeatureVectorRows vectors) {
      this.vectors = vectors;
    }

    @ProcessElement
    public void process(
        @Element KV<String, FeatureAccumulator> element,
        BoundedWindow window,
        OutputReceiver<Row> out) {
      Instant end = window.maxTimestamp().plus(Duration.millis(1));
      FeatureAccumulator accumulator = element.getValue();
      if (accumulator.latestEvent() == null) {
        return; // a pane of no events describes nothing
      }
      out.output(
          vectors.ofWindow(
              element.getKey(),
              end,
              accumulator.latestEvent(),
              accumulator.extract(vectors.featuresSchema(), end.getMillis(), false)));
      computed.inc();
    }
  }
}
