package io.streamml.transforms.features;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Per-event trailing features: each event gets its key's aggregates over each feature's trailing
 * window {@code (t - w, t]}, counting the events at or before it in (time, id) order.
 *
 * <p>Guarantees: an event is featurised once the watermark passes its time, so out-of-order arrival
 * before that changes nothing, and bounded input gives exactly the vectors the same events give as
 * a stream (point-in-time correct: no event sees a later one). An event that arrives behind its
 * key's processed time by at most the spec's allowed lateness still gets correct features (vectors
 * already emitted for later events are not revised); one later than that goes to dead letters
 * (stage {@code features}). State per key is bounded: history older than the longest window plus
 * the allowed lateness is evicted, and an idle key's state is cleared.
 */
public final class ExtractTrailingFeatures
    extends PTransform<PCollection<Row>, WithFailures.Result<PCollection<Row>, Row>> {

  /** Stage name on dead letters of events too late to featurise. */
  public static final String STAGE = "features";

  private final UseCaseSpec spec;

  private ExtractTrailingFeatures(UseCaseSpec spec) {
    this.spec = spec;
  }

  static ExtractTrailingFeatures of(UseCaseSpec spec) {
    return new ExtractTrailingFeatures(spec);
  }

  @Override
  public WithFailures.Result<PCollection<Row>, Row> expand(PCollection<Row> events) {
    FeatureVectorRows vectors = new FeatureVectorRows(spec);
    TupleTag<Row> featureTag = new TupleTag<Row>() {};
    TupleTag<Row> deadLetterTag = new TupleTag<Row>() {};
    String keyField = spec.keyField();
    PCollectionTuple out =
        events
            .apply("IntoGlobalWindow", Window.into(new GlobalWindows()))
            .apply(
                "KeyByEntity",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.rows()))
                    .via((Row event) -> KV.of(event.getString(keyField), event)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SchemaCoder.of(spec.eventSchema())))
            .apply(
                "ComputeTrailingFeatures",
                ParDo.of(new TrailingFeaturesFn(spec, vectors, deadLetterTag))
                    .withOutputTags(featureTag, TupleTagList.of(deadLetterTag)));
    return WithFailures.Result.of(
        out.get(featureTag).setRowSchema(vectors.schema()),
        out.get(deadLetterTag).setRowSchema(DeadLetter.SCHEMA));
  }

  private static final class TrailingFeaturesFn extends DoFn<KV<String, Row>, Row> {
    private final UseCaseSpec spec;
    private final FeatureVectorRows vectors;
    private final TupleTag<Row> deadLetters;
    private final RowJsonCodec codec;
    private final long lateness;
    private final long retention;
    private final Counter computed = Metrics.counter("streamml.features", "vectors_computed");
    private final Counter tooLate = Metrics.counter("streamml.features", "events_too_late");

    @StateId("pending")
    private final StateSpec<BagState<Row>> pendingSpec;

    @StateId("history")
    private final StateSpec<BagState<Row>> historySpec;

    @StateId("nextFlush")
    private final StateSpec<ValueState<Long>> nextFlushSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("frontier")
    private final StateSpec<ValueState<Long>> frontierSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("flush")
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    TrailingFeaturesFn(UseCaseSpec spec, FeatureVectorRows vectors, TupleTag<Row> deadLetters) {
      this.spec = spec;
      this.vectors = vectors;
      this.deadLetters = deadLetters;
      this.codec = RowJsonCodec.of(spec.eventSchema());
      this.lateness = spec.features().allowedLatenessSeconds() * 1000;
      this.retention = spec.features().longestWindowSeconds() * 1000 + lateness;
      this.pendingSpec = StateSpecs.bag(SchemaCoder.of(spec.eventSchema()));
      this.historySpec = StateSpecs.bag(SchemaCoder.of(spec.eventSchema()));
    }

    @ProcessElement
    public void process(
        @Element KV<String, Row> element,
        @StateId("pending") BagState<Row> pending,
        @StateId("nextFlush") ValueState<Long> nextFlush,
        @StateId("frontier") ValueState<Long> frontier,
        @TimerId("flush") Timer flush,
        MultiOutputReceiver out) {
      Row event = element.getValue();
      long time = FeatureAccumulator.timeOf(event, spec.eventTimeField());
      Long processed = frontier.read();
      if (processed != null && time < processed - lateness) {
        tooLate.inc();
        out.get(deadLetters)
            .output(
                DeadLetter.of(
                    "key:" + element.getKey(),
                    STAGE,
                    codec.toJson(event),
                    "Event at "
                        + new Instant(time)
                        + " arrived after its key was featurised up to "
                        + new Instant(processed)
                        + ", beyond the allowed lateness of "
                        + lateness / 1000
                        + " s",
                    new Instant(time),
                    Instant.now()));
        return;
      }
      pending.add(event);
      Long scheduled = nextFlush.read();
      if (scheduled == null || time < scheduled) {
        flush.set(new Instant(time));
        nextFlush.write(time);
      }
    }

    @OnTimer("flush")
    public void onFlush(
        OnTimerContext context,
        @StateId("pending") BagState<Row> pending,
        @StateId("history") BagState<Row> history,
        @StateId("nextFlush") ValueState<Long> nextFlush,
        @StateId("frontier") ValueState<Long> frontier,
        @TimerId("flush") Timer flush,
        @TimerId("expire") Timer expire) {
      long now = context.timestamp().getMillis();
      List<Row> ready = new ArrayList<>();
      List<Row> waiting = new ArrayList<>();
      long nextTime = Long.MAX_VALUE;
      for (Row event : pending.read()) {
        long time = FeatureAccumulator.timeOf(event, spec.eventTimeField());
        if (time <= now) {
          ready.add(event);
        } else {
          waiting.add(event);
          nextTime = Math.min(nextTime, time);
        }
      }
      pending.clear();
      waiting.forEach(pending::add);
      if (nextTime == Long.MAX_VALUE) {
        nextFlush.clear();
      } else {
        flush.set(new Instant(nextTime));
        nextFlush.write(nextTime);
      }

      List<Row> kept = new ArrayList<>();
      for (Row event : history.read()) {
        if (FeatureAccumulator.timeOf(event, spec.eventTimeField()) >= now - retention) {
          kept.add(event);
        }
      }
      kept.addAll(ready);
      Comparator<Row> order = inEventOrder();
      kept.sort(order);
      ready.sort(order);
      for (Row event : ready) {
        context.outputWithTimestamp(featurise(event, kept, order), context.timestamp());
        computed.inc();
      }
      history.clear();
      kept.forEach(history::add);
      Long processed = frontier.read();
      long newFrontier = processed == null ? now : Math.max(processed, now);
      frontier.write(newFrontier);
      expire.set(new Instant(newFrontier + retention + 1));
    }

    /** Clears an idle key's state once its history has aged out. */
    @OnTimer("expire")
    public void onExpire(
        @StateId("history") BagState<Row> history, @StateId("frontier") ValueState<Long> frontier) {
      history.clear();
      frontier.clear();
    }

    private Row featurise(Row event, List<Row> sortedHistory, Comparator<Row> order) {
      long time = FeatureAccumulator.timeOf(event, spec.eventTimeField());
      FeatureAccumulator accumulator = new FeatureAccumulator(spec);
      for (Row earlier : sortedHistory) {
        if (order.compare(earlier, event) > 0) {
          break;
        }
        accumulator.add(earlier, time);
      }
      return vectors.of(
          event.getString(spec.keyField()),
          String.valueOf((Object) event.getValue(spec.idField())),
          new Instant(time),
          event,
          accumulator.extract(vectors.featuresSchema(), time, true));
    }

    private Comparator<Row> inEventOrder() {
      String timeField = spec.eventTimeField();
      String idField = spec.idField();
      return Comparator.<Row>comparingLong(r -> FeatureAccumulator.timeOf(r, timeField))
          .thenComparing(r -> String.valueOf((Object) r.getValue(idField)));
    }
  }
}
