package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.RetrainTrigger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Turns drift metrics (from {@link ComputeDrift}; or, with {@link #onPerformance}, measured model
 * quality) into {@link RetrainTrigger} rows under a {@link RetrainPolicy}: each window's outcome
 * (share of drifted features, whether the score drifted) per segment is fed to the policy in
 * event-time order, so one incident gives one trigger.
 *
 * <p>Windows are decided once the watermark has passed them (on bounded input, at its end), so a
 * window is judged after every window before it. Policy state is kept per segment.
 */
public final class DetectRetrainTriggers extends PTransform<PCollection<Row>, PCollection<Row>> {

  private final RetrainPolicy policy;
  private final boolean performance;

  private DetectRetrainTriggers(RetrainPolicy policy, boolean performance) {
    this.policy = policy;
    this.performance = performance;
  }

  /** Triggers from DriftMetric rows: data drift, prediction drift and the schedule. */
  public static DetectRetrainTriggers withPolicy(RetrainPolicy policy) {
    return new DetectRetrainTriggers(policy, false);
  }

  /**
   * Triggers from ModelPerformance rows (see {@link MeasurePerformance}): {@code PERFORMANCE_DROP}
   * when the AUC stays below the policy's minimum; the policy needs {@link
   * RetrainPolicy#withMinAuc}. Performance windows keep their own in-a-row count, re-arm and
   * cool-down, apart from drift's.
   */
  public static DetectRetrainTriggers onPerformance(RetrainPolicy policy) {
    checkArgument(policy.minAuc() != null, "performance triggers need a minimum AUC (withMinAuc)");
    return new DetectRetrainTriggers(policy, true);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    if (performance) {
      return rows.apply(
              "KeyPerformanceWindows",
              MapElements.into(
                      TypeDescriptors.kvs(
                          TypeDescriptors.strings(), TypeDescriptor.of(WindowOutcome.class)))
                  .via(row -> KV.of("", WindowOutcome.ofPerformance(row))))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(WindowOutcome.class)))
          .apply("IntoGlobalWindow", Window.into(new GlobalWindows()))
          .apply("ApplyRetrainPolicy", ParDo.of(new PolicyFn(policy)))
          .setRowSchema(RetrainTrigger.schema());
    }
    PCollection<Row> metrics = rows;
    return WindowOutcome.perSegmentAndWindow(metrics)
        .apply(
            "KeyBySegment",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.strings(), TypeDescriptor.of(WindowOutcome.class)))
                .via(kv -> KV.of(kv.getKey().getKey(), kv.getValue())))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(WindowOutcome.class)))
        .apply("IntoGlobalWindow", Window.into(new GlobalWindows()))
        .apply("ApplyRetrainPolicy", ParDo.of(new PolicyFn(policy)))
        .setRowSchema(RetrainTrigger.schema());
  }

  /** Buffers window outcomes until the watermark passes them, then judges them in order. */
  private static final class PolicyFn extends DoFn<KV<String, WindowOutcome>, Row> {
    private final RetrainPolicy policy;

    @StateId("pending")
    private final StateSpec<BagState<WindowOutcome>> pendingSpec =
        StateSpecs.bag(SerializableCoder.of(WindowOutcome.class));

    @StateId("policy")
    private final StateSpec<ValueState<RetrainPolicy.State>> policySpec =
        StateSpecs.value(SerializableCoder.of(RetrainPolicy.State.class));

    @StateId("segment")
    private final StateSpec<ValueState<String>> segmentSpec =
        StateSpecs.value(StringUtf8Coder.of());

    @TimerId("decide")
    private final TimerSpec decideSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    PolicyFn(RetrainPolicy policy) {
      this.policy = policy;
    }

    @ProcessElement
    public void process(
        @Element KV<String, WindowOutcome> element,
        @Timestamp Instant timestamp,
        @StateId("pending") BagState<WindowOutcome> pending,
        @StateId("segment") ValueState<String> segment,
        @TimerId("decide") Timer decide) {
      pending.add(element.getValue());
      segment.write(element.getKey());
      // Decided once the watermark passes this outcome (its window's end, or on bounded input the
      // end of the data); an earlier pending timer still fires first.
      decide.set(timestamp);
    }

    @OnTimer("decide")
    public void decide(
        OnTimerContext context,
        @StateId("pending") BagState<WindowOutcome> pending,
        @StateId("policy") ValueState<RetrainPolicy.State> policyState,
        @StateId("segment") ValueState<String> segment,
        @TimerId("decide") Timer decide) {
      long now = context.timestamp().getMillis();
      List<WindowOutcome> ready = new ArrayList<>();
      List<WindowOutcome> later = new ArrayList<>();
      for (WindowOutcome o : pending.read()) {
        (o.windowEnd - 1 <= now ? ready : later).add(o);
      }
      ready.sort(Comparator.comparingLong(o -> o.windowStart));
      RetrainPolicy.State state = policyState.read();
      if (state == null) {
        state = new RetrainPolicy.State();
      }
      String key = segment.read();
      for (WindowOutcome o : ready) {
        RetrainTrigger.Reason reason =
            o.performance
                ? policy.nextPerformance(state, o.windowEnd, o.labelled, o.auc)
                : policy.next(state, o.windowEnd, o.driftedShare(), o.scoreDrifted);
        if (reason != null) {
          context.output(trigger(o, key, reason));
        }
      }
      policyState.write(state);
      pending.clear();
      later.forEach(pending::add);
      if (!later.isEmpty()) {
        decide.set(new Instant(later.stream().mapToLong(o -> o.windowEnd - 1).min().getAsLong()));
      }
    }

    private Row trigger(WindowOutcome o, @Nullable String segment, RetrainTrigger.Reason reason) {
      String detail =
          o.performance
              ? String.format(
                  "AUC %.4f < minimum %.4f on %d labelled scores",
                  o.auc, policy.minAuc(), o.labelled)
              : String.format(
                  "%d of %d features drifted (%.0f%%, threshold %.0f%%)%s",
                  o.driftedFeatures,
                  o.features,
                  100 * o.driftedShare(),
                  100 * policy.datasetDriftShare(),
                  o.scoreDrifted ? "; the score drifted" : "");
      return Row.withSchema(RetrainTrigger.schema())
          .withFieldValue(RetrainTrigger.TRIGGER_TIME, new Instant(o.windowEnd))
          .withFieldValue(
              RetrainTrigger.SEGMENT, segment == null || segment.isEmpty() ? null : segment)
          .withFieldValue(RetrainTrigger.REASON, reason.name())
          .withFieldValue(RetrainTrigger.DETAIL, detail)
          .withFieldValue(RetrainTrigger.WINDOW_START, new Instant(o.windowStart))
          .withFieldValue(RetrainTrigger.DRIFTED_SHARE, o.performance ? 0.0 : o.driftedShare())
          .build();
    }
  }
}
