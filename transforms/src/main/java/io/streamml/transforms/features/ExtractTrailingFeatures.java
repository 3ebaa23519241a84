package io.streamml.transforms.features;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.batch.AnySkew;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Per-event trailing features: each event gets its key's aggregates over each feature's trailing
 * window {@code (t - w, t]}, counting the events at or before it in (time, id) order.
 *
 * <p>Bounded input is grouped and sorted per key; unbounded input is buffered in state and
 * featurised once the watermark passes each event's time. Both compute every vector with {@link
 * TrailingFeatureCalculator}. Guarantees: out-of-order arrival before that changes nothing, and
 * bounded input gives exactly the vectors the same events give as a stream (point-in-time correct:
 * no event sees a later one). An event that arrives behind its key's processed time by at most the
 * spec's allowed lateness still gets correct features (vectors already emitted for later events are
 * not revised); one later than that goes to dead letters (stage {@code features}). State per key is
 * bounded: history older than the longest window plus the allowed lateness is evicted, and an idle
 * key's state is cleared.
 */
public final class ExtractTrailingFeatures
    extends PTransform<PCollection<Row>, WithFailures.Result<PCollection<Row>, Row>> {

  /** Distribution of events kept per key after each flush: shows state stays bounded. */
  public static final String HISTORY_SIZE_METRIC = "history_events_per_key";

  /**
   * Distribution of the encoded bytes of a key's history (its {@code history} bag as the runner
   * stores it), sampled on one flush in {@value #HISTORY_BYTES_SAMPLE_EVERY} per worker: encoding
   * every flush would cost as much as the features themselves.
   */
  public static final String HISTORY_BYTES_METRIC = "history_bytes_per_key";

  static final int HISTORY_BYTES_SAMPLE_EVERY = 16;

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
    TrailingFeatureCalculator calculator = new TrailingFeatureCalculator(spec);
    String keyField = spec.keyField();
    // Events as parsed, or enriched: whatever schema they arrive with.
    Schema eventSchema = events.getSchema();
    PCollection<KV<String, Row>> keyed =
        events
            .apply("IntoGlobalWindow", Window.into(new GlobalWindows()))
            .apply("KeyByEntity", new KeyByEntity(keyField));
    if (events.isBounded() == PCollection.IsBounded.BOUNDED) {
      // All events are known: sort each key's events once instead of waiting on timers. Keys
      // are grouped in shards (BatchShards); a shard's events are regrouped in memory.
      PCollection<Row> vectors =
          keyed
              .apply("GroupByKeyShard", new GroupByKeyShard(eventSchema))
              .apply("ComputeTrailingFeaturesInBatch", ParDo.of(new BatchFn(calculator)))
              .setRowSchema(calculator.vectors().schema());
      PCollection<Row> none =
          events.getPipeline().apply("NoLateEvents", Create.empty(DeadLetter.SCHEMA));
      return WithFailures.Result.of(vectors, none);
    }
    TupleTag<Row> featureTag = new TupleTag<Row>() {};
    TupleTag<Row> deadLetterTag = new TupleTag<Row>() {};
    PCollectionTuple out =
        keyed.apply(
            "ComputeTrailingFeatures",
            ParDo.of(new TrailingFeaturesFn(spec, eventSchema, calculator, deadLetterTag))
                .withOutputTags(featureTag, TupleTagList.of(deadLetterTag)));
    return WithFailures.Result.of(
        out.get(featureTag).setRowSchema(calculator.vectors().schema()),
        out.get(deadLetterTag).setRowSchema(DeadLetter.SCHEMA));
  }

  /** Bounded input: every event of a shard of keys at once; each key's in order. */
  private static final class BatchFn extends DoFn<KV<Integer, Iterable<KV<String, Row>>>, Row> {
    private final TrailingFeatureCalculator calculator;
    private final Counter computed = Metrics.counter("streamml.features", "vectors_computed");

    BatchFn(TrailingFeatureCalculator calculator) {
      this.calculator = calculator;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, Row>>> shard, OutputReceiver<Row> out) {
      for (List<Row> events : GroupByKeyShard.byKey(shard.getValue()).values()) {
        events.sort(calculator.order());
        for (int i = 0; i < events.size(); i++) {
          out.outputWithTimestamp(
              calculator.vectorAt(events, i), new Instant(calculator.timeOf(events.get(i))));
          computed.inc();
        }
      }
    }

    // Vectors are stamped at their event's time, which may precede the grouped element's.
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return AnySkew.ALLOWED;
    }
  }

  private static final class TrailingFeaturesFn extends DoFn<KV<String, Row>, Row> {
    private final UseCaseSpec spec;
    private final TrailingFeatureCalculator calculator;
    private final TupleTag<Row> deadLetters;
    private final RowJsonCodec codec;
    private final long lateness;
    private final long retention;
    private final Counter computed = Metrics.counter("streamml.features", "vectors_computed");
    private final Counter tooLate = Metrics.counter("streamml.features", "events_too_late");
    private final Distribution historySize =
        Metrics.distribution("streamml.features", HISTORY_SIZE_METRIC);
    private final Distribution historyBytes =
        Metrics.distribution("streamml.features", HISTORY_BYTES_METRIC);
    private final SchemaCoder<Row> eventCoder;
    private transient long flushes;

    @StateId("pending")
    private final StateSpec<BagState<Row>> pendingSpec;

    @StateId("history")
    private final StateSpec<BagState<Row>> historySpec;

    @StateId("nextFlush")
    private final StateSpec<ValueState<Long>> nextFlushSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("frontier")
    private final StateSpec<ValueState<Long>> frontierSpec = StateSpecs.value(VarLongCoder.of());

    // The key's latest element timestamp: the watermark's time, which is not the events' field
    // when the source stamps them otherwise (--eventTimeFrom=kafkaTimestamp).
    @StateId("latestTimestamp")
    private final StateSpec<ValueState<Long>> latestTimestampSpec =
        StateSpecs.value(VarLongCoder.of());

    @TimerId("flush")
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    TrailingFeaturesFn(
        UseCaseSpec spec,
        Schema eventSchema,
        TrailingFeatureCalculator calculator,
        TupleTag<Row> deadLetters) {
      this.spec = spec;
      this.calculator = calculator;
      this.deadLetters = deadLetters;
      this.codec = RowJsonCodec.of(eventSchema);
      this.lateness = spec.features().allowedLatenessSeconds() * 1000;
      this.retention = spec.features().longestWindowSeconds() * 1000 + lateness;
      this.eventCoder = SchemaCoder.of(eventSchema);
      this.pendingSpec = StateSpecs.bag(eventCoder);
      this.historySpec = StateSpecs.bag(eventCoder);
    }

    @ProcessElement
    public void process(
        @Element KV<String, Row> element,
        @Timestamp Instant timestamp,
        @StateId("pending") BagState<Row> pending,
        @StateId("nextFlush") ValueState<Long> nextFlush,
        @StateId("frontier") ValueState<Long> frontier,
        @StateId("latestTimestamp") ValueState<Long> latestTimestamp,
        @TimerId("flush") Timer flush,
        MultiOutputReceiver out) {
      Row event = element.getValue();
      long time = FeatureAccumulator.timeOf(event, spec.eventTimeField());
      Long latest = latestTimestamp.read();
      if (latest == null || timestamp.getMillis() > latest) {
        latestTimestamp.write(timestamp.getMillis());
      }
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
        @StateId("latestTimestamp") ValueState<Long> latestTimestamp,
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
      Comparator<Row> order = calculator.order();
      kept.sort(order);
      Set<Row> readySet = Collections.newSetFromMap(new IdentityHashMap<>());
      readySet.addAll(ready);
      for (int i = 0; i < kept.size(); i++) {
        if (readySet.contains(kept.get(i))) {
          context.outputWithTimestamp(calculator.vectorAt(kept, i), context.timestamp());
          computed.inc();
        }
      }
      history.clear();
      kept.forEach(history::add);
      historySize.update(kept.size());
      if (flushes++ % HISTORY_BYTES_SAMPLE_EVERY == 0) {
        historyBytes.update(encodedBytes(kept));
      }
      Long processed = frontier.read();
      long newFrontier = processed == null ? now : Math.max(processed, now);
      frontier.write(newFrontier);
      // Idle for the retention in the watermark's time: with events stamped at their Kafka time,
      // their own field can trail the watermark by more than that, and an expiry set from it
      // would fire at once and drop the history every flush.
      Long latest = latestTimestamp.read();
      long idleFrom = latest == null ? newFrontier : Math.max(newFrontier, latest);
      expire.set(new Instant(idleFrom + retention + 1));
    }

    private long encodedBytes(List<Row> events) {
      long bytes = 0;
      for (Row event : events) {
        try {
          bytes += CoderUtils.encodeToByteArray(eventCoder, event).length;
        } catch (CoderException e) {
          throw new IllegalStateException("An event of the history does not encode", e);
        }
      }
      return bytes;
    }

    /** Clears an idle key's state once its history has aged out. */
    @OnTimer("expire")
    public void onExpire(
        @StateId("history") BagState<Row> history,
        @StateId("frontier") ValueState<Long> frontier,
        @StateId("latestTimestamp") ValueState<Long> latestTimestamp) {
      history.clear();
      frontier.clear();
      latestTimestamp.clear();
    }
  }
}
