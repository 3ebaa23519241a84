package io.streamml.transforms.scoring;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PeriodicImpulse;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The version a registry's LATEST names, re-read every poll interval, as a side input in the global
 * window (Beam's "slowly updating global window side input" pattern): each poll fires a pane that
 * replaces the view's contents. The view holds (poll time, version) reads, not a singleton: a
 * runner may gather two polls into one pane (the Direct runner does), and {@link #newest} picks the
 * later. Only a version that loads, passes its manifest check and fits the input replaces the one
 * in use ({@link LastGoodVersion}); a poll that finds anything else counts {@code
 * registry_poll_failures} and keeps the last good version.
 */
final class FollowLatestVersion
    extends PTransform<PBegin, PCollectionView<Iterable<KV<Long, String>>>> {

  private final String registryRoot;
  private final FeatureLayout layout;
  private final String startVersion;
  private final Duration pollInterval;
  private final @Nullable Instant stopAt;

  /** Follows {@code registryRoot} from {@code startVersion} for rows of {@code layout}. */
  FollowLatestVersion(
      String registryRoot,
      FeatureLayout layout,
      String startVersion,
      Duration pollInterval,
      @Nullable Instant stopAt) {
    this.registryRoot = registryRoot;
    this.layout = layout;
    this.startVersion = startVersion;
    this.pollInterval = pollInterval;
    this.stopAt = stopAt;
  }

  @Override
  public PCollectionView<Iterable<KV<Long, String>>> expand(PBegin begin) {
    return polls(begin)
        .apply(
            "FireEveryPoll",
            Window.<Instant>into(new GlobalWindows())
                .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane()))
                .discardingFiredPanes())
        .apply("ReadLatest", ParDo.of(new ReadLatestFn(registryRoot, layout, startVersion)))
        .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()))
        .apply("AsModelVersions", View.asIterable());
  }

  /**
   * One element per poll interval, stamped with its poll time. A stream that runs until cancelled
   * polls from an unbounded source: Beam's Flink runner, finishing a cancelled job, fires an
   * endless {@link PeriodicImpulse}'s pending timers in a loop that never ends (the task spun, and
   * after 180 s Flink failed the TaskManager). Polling that stops at a time uses PeriodicImpulse.
   */
  private PCollection<Instant> polls(PBegin begin) {
    if (stopAt != null) {
      return begin.apply(
          "PollModelRegistry", PeriodicImpulse.create().withInterval(pollInterval).stopAt(stopAt));
    }
    return begin
        .apply("PollModelRegistry", GenerateSequence.from(0).withRate(1, pollInterval))
        .apply("AsPollTimes", ParDo.of(new PollTimeFn()));
  }

  /** A generated element's timestamp, the time it was read. */
  private static final class PollTimeFn extends DoFn<Long, Instant> {
    @ProcessElement
    public void process(@Timestamp Instant readAt, OutputReceiver<Instant> out) {
      out.output(readAt);
    }
  }

  /** The version of the newest read in the view. */
  static String newest(Iterable<KV<Long, String>> reads) {
    KV<Long, String> newest = null;
    for (KV<Long, String> read : reads) {
      if (newest == null || read.getKey() > newest.getKey()) {
        newest = read;
      }
    }
    if (newest == null) {
      throw new IllegalStateException("No model version read from the registry yet");
    }
    return newest.getValue();
  }

  /** Emits (poll time, the version to score with): LATEST's if good, else the last good one. */
  private static final class ReadLatestFn extends DoFn<Instant, KV<Long, String>> {
    private final String registryRoot;
    private final FeatureLayout layout;
    private final String startVersion;
    private final Counter failedPolls =
        Metrics.counter(
            ScoreWithXGBoost.METRICS_NAMESPACE, ScoreWithXGBoost.REGISTRY_POLL_FAILURES);
    private transient @Nullable LastGoodVersion versions;

    ReadLatestFn(String registryRoot, FeatureLayout layout, String startVersion) {
      this.registryRoot = registryRoot;
      this.layout = layout;
      this.startVersion = startVersion;
    }

    @Setup
    public void setup() {
      versions = new LastGoodVersion(registryRoot, layout, startVersion);
    }

    @ProcessElement
    public void process(@Element Instant pollTime, OutputReceiver<KV<Long, String>> out) {
      String version = versions.poll(why -> failedPolls.inc());
      out.output(KV.of(pollTime.getMillis(), version));
    }
  }
}
