package io.streamml.transforms.ingest;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.batch.BatchShards;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Replays dead letters after a fix (usually a corrected use-case spec): the raw payload of each
 * letter from a stage that holds events ({@code parse}, {@code validate}, {@code features}) goes
 * through {@link ParseEvents} again. Bounded input.
 *
 * <p>Guarantees: idempotent by event id — the same event dead-lettered several times, or replayed
 * twice, comes out once (the smallest raw payload of that id, so every run picks the same one).
 * Every letter read is accounted for: {@link Result#events} (the raw payloads, ready for {@code
 * --input}), {@link Result#duplicates} (letters whose id was already replayed), {@link
 * Result#stillDeadLetters} (payloads that still fail, each with its new reason) or {@link
 * Result#notReplayable} (letters of other stages, e.g. {@code score}, whose payload is no event).
 */
public final class ReplayDeadLetters
    extends PTransform<PCollection<Row>, ReplayDeadLetters.Result> {

  /** Stages whose raw payload is an event as it was read (features: as it was parsed). */
  public static final Set<String> REPLAYABLE_STAGES =
      Set.of(DeadLetter.Stage.PARSE, DeadLetter.Stage.VALIDATE, "features");

  private static final String METRICS = "streamml.replay";

  private final UseCaseSpec spec;
  private final IngestLimits limits;

  private ReplayDeadLetters(UseCaseSpec spec, IngestLimits limits) {
    this.spec = spec;
    this.limits = limits;
  }

  /** Replays letters as events of {@code spec} (the fixed spec, usually). */
  public static ReplayDeadLetters as(UseCaseSpec spec) {
    checkArgument(spec != null, "spec must not be null");
    return new ReplayDeadLetters(spec, IngestLimits.defaults());
  }

  public ReplayDeadLetters withLimits(IngestLimits limits) {
    checkArgument(limits != null, "limits must not be null");
    return new ReplayDeadLetters(spec, limits);
  }

  @Override
  public Result expand(PCollection<Row> letters) {
    TupleTag<String> payloads = new TupleTag<String>() {};
    TupleTag<Row> notReplayable = new TupleTag<Row>() {};
    PCollectionTuple split =
        letters.apply(
            "TakeEventPayloads",
            ParDo.of(new TakePayloadFn(payloads, notReplayable))
                .withOutputTags(payloads, TupleTagList.of(notReplayable)));
    WithFailures.Result<PCollection<Row>, Row> parsed =
        split
            .get(payloads)
            .setCoder(StringUtf8Coder.of())
            .apply(
                "ParseEventsAgain",
                ParseEvents.of(spec).withLimits(limits).withSourceName("replay"));

    String idField = spec.idField();
    RowJsonCodec codec = RowJsonCodec.of(spec.eventSchema());
    TupleTag<String> unique = new TupleTag<String>() {};
    TupleTag<Row> duplicates = new TupleTag<Row>() {};
    PCollectionTuple byId =
        parsed
            .output()
            .apply("IntoOneWindow", Window.into(new GlobalWindows()))
            .apply("KeyById", ParDo.of(new KeyByIdShardFn(idField, codec)))
            .setCoder(
                KvCoder.of(
                    VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
            .apply("GroupById", GroupByKey.create())
            .apply(
                "KeepOnePerId",
                ParDo.of(new KeepOneFn(unique, duplicates))
                    .withOutputTags(unique, TupleTagList.of(duplicates)));
    PCollection<Row> stillDead = parsed.failures();
    return new Result(
        letters.getPipeline(),
        byId.get(unique).setCoder(StringUtf8Coder.of()),
        byId.get(duplicates).setRowSchema(DeadLetter.SCHEMA),
        stillDead,
        split.get(notReplayable).setRowSchema(DeadLetter.SCHEMA));
  }

  /** The payload of a replayable letter; letters of other stages pass through as they are. */
  private static final class TakePayloadFn extends DoFn<Row, String> {
    private final TupleTag<String> payloads;
    private final TupleTag<Row> notReplayable;
    private final Counter skipped = Metrics.counter(METRICS, "letters_not_replayable");

    TakePayloadFn(TupleTag<String> payloads, TupleTag<Row> notReplayable) {
      this.payloads = payloads;
      this.notReplayable = notReplayable;
    }

    @ProcessElement
    public void process(@Element Row letter, MultiOutputReceiver out) {
      if (!REPLAYABLE_STAGES.contains(letter.getString(DeadLetter.STAGE))) {
        skipped.inc();
        out.get(notReplayable).output(letter);
        return;
      }
      String raw = letter.getString(DeadLetter.RAW_PAYLOAD);
      // Bytes that were not UTF-8 were kept as "base64:..."; give them back as they were read.
      String payload = RawPayloads.fromDeadLetterPayload(letter.getString(DeadLetter.RAW_PAYLOAD));
      out.get(payloads).output(payload);
    }
  }

  /** Events keyed by a shard of their id (BatchShards), each with its id and JSON. */
  private static final class KeyByIdShardFn extends DoFn<Row, KV<Integer, KV<String, String>>> {
    private final String idField;
    private final RowJsonCodec codec;

    KeyByIdShardFn(String idField, RowJsonCodec codec) {
      this.idField = idField;
      this.codec = codec;
    }

    @ProcessElement
    public void process(@Element Row event, OutputReceiver<KV<Integer, KV<String, String>>> out) {
      String id = event.getString(idField);
      out.output(KV.of(BatchShards.of(id, BatchShards.JOINS), KV.of(id, codec.toJson(event))));
    }
  }

  /** One event per id: the smallest payload, so the choice does not depend on arrival order. */
  private static final class KeepOneFn
      extends DoFn<KV<Integer, Iterable<KV<String, String>>>, String> {
    private final TupleTag<String> unique;
    private final TupleTag<Row> duplicates;
    private final Counter repeated = Metrics.counter(METRICS, "duplicate_ids");

    KeepOneFn(TupleTag<String> unique, TupleTag<Row> duplicates) {
      this.unique = unique;
      this.duplicates = duplicates;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, String>>> shard, MultiOutputReceiver out) {
      Map<String, List<String>> payloadsById = new HashMap<>();
      for (KV<String, String> event : shard.getValue()) {
        payloadsById.computeIfAbsent(event.getKey(), id -> new ArrayList<>()).add(event.getValue());
      }
      for (Map.Entry<String, List<String>> byId : payloadsById.entrySet()) {
        List<String> payloads = byId.getValue();
        String kept = Collections.min(payloads);
        out.get(unique).output(kept);
        for (int i = 1; i < payloads.size(); i++) {
          repeated.inc();
          out.get(duplicates)
              .output(
                  DeadLetter.of(
                      "replay",
                      "replay",
                      kept,
                      "Event id '" + byId.getKey() + "' was replayed already",
                      null,
                      Instant.now()));
        }
      }
    }
  }

  /** What a replay made of its letters; every letter is in exactly one of the four. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    public final PCollection<String> events;
    public final PCollection<Row> duplicates;
    public final PCollection<Row> stillDeadLetters;
    public final PCollection<Row> notReplayable;

    Result(
        Pipeline pipeline,
        PCollection<String> events,
        PCollection<Row> duplicates,
        PCollection<Row> stillDeadLetters,
        PCollection<Row> notReplayable) {
      this.pipeline = pipeline;
      this.events = events;
      this.duplicates = duplicates;
      this.stillDeadLetters = stillDeadLetters;
      this.notReplayable = notReplayable;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      Map<TupleTag<?>, PValue> outputs = new LinkedHashMap<>();
      outputs.put(new TupleTag<String>("events"), events);
      outputs.put(new TupleTag<Row>("duplicates"), duplicates);
      outputs.put(new TupleTag<Row>("stillDeadLetters"), stillDeadLetters);
      outputs.put(new TupleTag<Row>("notReplayable"), notReplayable);
      return outputs;
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
