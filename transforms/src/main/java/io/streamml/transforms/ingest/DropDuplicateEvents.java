package io.streamml.transforms.ingest;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.transforms.batch.BatchShards;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Lets the first event with each id through and dead-letters the others with the same id (stage
 * {@value DeadLetter.Stage#DEDUPE}) whose event time is within a horizon of a copy let through, so
 * a record delivered twice (a producer's retry, a partition read again) is scored once and still
 * accounted for. The dead letter's payload is the duplicate event as parsed, written back as JSON.
 *
 * <p>A bounded input compares each id's copies in event-time order (ties by payload), so the same
 * input always keeps the same copies. A stream keeps the copies in arrival order, and an id's state
 * is dropped once the watermark is a horizon past its last copy let through, so state stays
 * bounded; a copy arriving after that is let through again. Ids are held in {@value #STREAM_SHARDS}
 * shards of state, not one key each: the Direct runner makes a bundle of every key.
 */
public final class DropDuplicateEvents
    extends PTransform<PCollection<Row>, WithFailures.Result<PCollection<Row>, Row>> {

  static final String METRICS = "streamml.dedupe";

  /** Shards of a stream's ids: enough keys for a cluster's parallelism, few enough bundles. */
  static final int STREAM_SHARDS = 256;

  /** Expired ids are dropped in steps of this fraction of the horizon, not one timer each. */
  private static final int FORGET_STEPS = 10;

  private final String idField;
  private final Duration horizon;
  private final String sourceName;

  private DropDuplicateEvents(String idField, Duration horizon, String sourceName) {
    this.idField = idField;
    this.horizon = horizon;
    this.sourceName = sourceName;
  }

  /** Drops repeats of {@code idField} within {@code horizon}; letters name {@code sourceName}. */
  public static DropDuplicateEvents byId(String idField, Duration horizon, String sourceName) {
    checkArgument(horizon.isLongerThan(Duration.ZERO), "the horizon must be above 0: %s", horizon);
    return new DropDuplicateEvents(idField, horizon, sourceName);
  }

  @Override
  public WithFailures.Result<PCollection<Row>, Row> expand(PCollection<Row> events) {
    Schema schema = events.getSchema();
    checkArgument(schema.hasField(idField), "no id field '%s' in %s", idField, schema);
    boolean bounded = events.isBounded() == PCollection.IsBounded.BOUNDED;
    int shards = bounded ? BatchShards.JOINS : STREAM_SHARDS;
    Coder<Row> rowCoder = events.getCoder();
    PCollection<KV<Integer, KV<String, Row>>> sharded =
        events
            // EARLIEST: a bounded shard's group is stamped at its earliest event, so the events
            // given back at their own times are not behind the watermark (END_OF_WINDOW would make
            // every event late for an event-time window downstream, such as the archive's).
            .apply(
                "IntoOneWindow",
                Window.<Row>into(new GlobalWindows())
                    .withTimestampCombiner(TimestampCombiner.EARLIEST))
            .apply("ShardById", ParDo.of(new ShardByIdFn(idField, shards)))
            .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), rowCoder)));
    TupleTag<Row> kept = new TupleTag<Row>() {};
    TupleTag<Row> duplicates = new TupleTag<Row>() {};
    Letters letters = new Letters(RowJsonCodec.of(schema), horizon, sourceName);
    PCollectionTuple split;
    if (bounded) {
      split =
          sharded
              .apply("WithTimestamps", ParDo.of(new TimestampValuesFn()))
              .setCoder(
                  KvCoder.of(
                      VarIntCoder.of(),
                      KvCoder.of(
                          StringUtf8Coder.of(),
                          TimestampedValue.TimestampedValueCoder.of(rowCoder))))
              .apply("GroupByIdShard", GroupByKey.create())
              .apply(
                  "KeepFirstPerIdInBatch",
                  ParDo.of(new BatchFn(kept, duplicates, letters))
                      .withOutputTags(kept, TupleTagList.of(duplicates)));
    } else {
      split =
          sharded.apply(
              "KeepFirstPerId",
              ParDo.of(new StreamFn(kept, duplicates, letters))
                  .withOutputTags(kept, TupleTagList.of(duplicates)));
    }
    return WithFailures.Result.of(
        split.get(kept).setRowSchema(schema),
        split.get(duplicates).setRowSchema(DeadLetter.SCHEMA));
  }

  private static final class ShardByIdFn extends DoFn<Row, KV<Integer, KV<String, Row>>> {
    private final String idField;
    private final int shards;

    ShardByIdFn(String idField, int shards) {
      this.idField = idField;
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element Row event, OutputReceiver<KV<Integer, KV<String, Row>>> out) {
      String id = String.valueOf((Object) event.getValue(idField));
      out.output(KV.of(BatchShards.of(id, shards), KV.of(id, event)));
    }
  }

  /** The dead letter of a copy, and the rule for when two copies are one event. */
  private static final class Letters implements java.io.Serializable {
    private final RowJsonCodec codec;
    private final Duration horizon;
    private final String sourceName;

    Letters(RowJsonCodec codec, Duration horizon, String sourceName) {
      this.codec = codec;
      this.horizon = horizon;
      this.sourceName = sourceName;
    }

    /** The copy let through that {@code time} repeats, or null if it repeats none. */
    Instant repeated(List<Instant> keptTimes, Instant time) {
      for (Instant kept : keptTimes) {
        if (Math.abs(time.getMillis() - kept.getMillis()) <= horizon.getMillis()) {
          return kept;
        }
      }
      return null;
    }

    Row of(String id, Row event, Instant first, Instant time) {
      return DeadLetter.of(
          sourceName,
          DeadLetter.Stage.DEDUPE,
          codec.toJson(event),
          "Duplicate event id '"
              + id
              + "': an event with this id at "
              + first
              + " was already let through (ids are compared within "
              + horizon.getStandardSeconds()
              + " s of event time)",
          time,
          Instant.now());
    }

    String payload(Row event) {
      return codec.toJson(event);
    }
  }

  private static final class TimestampValuesFn
      extends DoFn<KV<Integer, KV<String, Row>>, KV<Integer, KV<String, TimestampedValue<Row>>>> {
    @ProcessElement
    public void process(
        @Element KV<Integer, KV<String, Row>> event,
        @Timestamp Instant time,
        OutputReceiver<KV<Integer, KV<String, TimestampedValue<Row>>>> out) {
      KV<String, Row> byId = event.getValue();
      out.output(
          KV.of(event.getKey(), KV.of(byId.getKey(), TimestampedValue.of(byId.getValue(), time))));
    }
  }

  /** Bounded input: a shard's copies per id, in event-time order. */
  private static final class BatchFn
      extends DoFn<KV<Integer, Iterable<KV<String, TimestampedValue<Row>>>>, Row> {
    private final TupleTag<Row> kept;
    private final TupleTag<Row> duplicates;
    private final Letters letters;
    private final Counter duplicateIds = Metrics.counter(METRICS, "duplicate_ids");

    BatchFn(TupleTag<Row> kept, TupleTag<Row> duplicates, Letters letters) {
      this.kept = kept;
      this.duplicates = duplicates;
      this.letters = letters;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, TimestampedValue<Row>>>> shard,
        MultiOutputReceiver out) {
      Map<String, List<TimestampedValue<Row>>> byId = new HashMap<>();
      for (KV<String, TimestampedValue<Row>> event : shard.getValue()) {
        byId.computeIfAbsent(event.getKey(), id -> new ArrayList<>()).add(event.getValue());
      }
      for (Map.Entry<String, List<TimestampedValue<Row>>> copies : byId.entrySet()) {
        List<TimestampedValue<Row>> events = copies.getValue();
        events.sort(
            Comparator.comparing((TimestampedValue<Row> e) -> e.getTimestamp())
                .thenComparing(e -> letters.payload(e.getValue())));
        List<Instant> keptTimes = new ArrayList<>();
        for (TimestampedValue<Row> event : events) {
          Instant first = letters.repeated(keptTimes, event.getTimestamp());
          if (first == null) {
            keptTimes.add(event.getTimestamp());
            out.get(kept).outputWithTimestamp(event.getValue(), event.getTimestamp());
          } else {
            duplicateIds.inc();
            out.get(duplicates)
                .outputWithTimestamp(
                    letters.of(copies.getKey(), event.getValue(), first, event.getTimestamp()),
                    event.getTimestamp());
          }
        }
      }
    }
  }

  /** A stream: the copies let through per id, in a shard's state, until they expire. */
  private static final class StreamFn extends DoFn<KV<Integer, KV<String, Row>>, Row> {
    private final TupleTag<Row> kept;
    private final TupleTag<Row> duplicates;
    private final Letters letters;
    private final long forgetStepMillis;
    private final Counter duplicateIds = Metrics.counter(METRICS, "duplicate_ids");

    @StateId("keptTimes")
    private final StateSpec<MapState<String, List<Instant>>> keptTimesSpec =
        StateSpecs.map(StringUtf8Coder.of(), ListCoder.of(InstantCoder.of()));

    @StateId("nextForget")
    private final StateSpec<ValueState<Instant>> nextForgetSpec =
        StateSpecs.value(InstantCoder.of());

    @TimerId("forget")
    private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    StreamFn(TupleTag<Row> kept, TupleTag<Row> duplicates, Letters letters) {
      this.kept = kept;
      this.duplicates = duplicates;
      this.letters = letters;
      this.forgetStepMillis = Math.max(1_000, letters.horizon.getMillis() / FORGET_STEPS);
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, KV<String, Row>> event,
        @Timestamp Instant time,
        @StateId("keptTimes") MapState<String, List<Instant>> keptTimes,
        @StateId("nextForget") ValueState<Instant> nextForget,
        @TimerId("forget") Timer forget,
        MultiOutputReceiver out) {
      String id = event.getValue().getKey();
      List<Instant> times = keptTimes.get(id).read();
      times = times == null ? new ArrayList<>() : new ArrayList<>(times);
      Instant first = letters.repeated(times, time);
      if (first != null) {
        duplicateIds.inc();
        out.get(duplicates).output(letters.of(id, event.getValue().getValue(), first, time));
        return;
      }
      times.add(time);
      keptTimes.put(id, times);
      scheduleForget(expiry(time), nextForget, forget);
      out.get(kept).output(event.getValue().getValue());
    }

    /** Drops the copies the watermark is a horizon past, and waits for the next to expire. */
    @OnTimer("forget")
    public void forget(
        OnTimerContext context,
        @StateId("keptTimes") MapState<String, List<Instant>> keptTimes,
        @StateId("nextForget") ValueState<Instant> nextForget,
        @TimerId("forget") Timer forget) {
      Instant now = context.timestamp();
      nextForget.clear();
      Instant next = null;
      for (Map.Entry<String, List<Instant>> entry : keptTimes.entries().read()) {
        List<Instant> live = new ArrayList<>();
        for (Instant time : entry.getValue()) {
          if (time.plus(letters.horizon).isAfter(now)) {
            live.add(time);
            Instant due = expiry(time);
            next = next == null || due.isBefore(next) ? due : next;
          }
        }
        if (live.isEmpty()) {
          keptTimes.remove(entry.getKey());
        } else if (live.size() < entry.getValue().size()) {
          keptTimes.put(entry.getKey(), live);
        }
      }
      if (next != null) {
        scheduleForget(next, nextForget, forget);
      }
    }

    /** A copy's horizon end, rounded up to a forget step so one timer drops many ids. */
    private Instant expiry(Instant time) {
      long end = time.plus(letters.horizon).getMillis();
      return new Instant((Math.floorDiv(end, forgetStepMillis) + 1) * forgetStepMillis);
    }

    private static void scheduleForget(Instant due, ValueState<Instant> nextForget, Timer forget) {
      Instant scheduled = nextForget.read();
      if (scheduled == null || due.isBefore(scheduled)) {
        forget.set(due);
        nextForget.write(due);
      }
    }
  }
}
