package io.streamml.pipelines;

import io.streamml.pipelines.options.KafkaClientOptions;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.sim.SimulatedEventSource;
import io.streamml.transforms.sim.SimulatorConfig;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The saturation rate of the streaming scoring job, measured directly: {@code --backlogEvents}
 * simulated events are written into a new topic first, then the job (topic → parse → per-event
 * features → XGBoost → scores topic, as {@code bench-latency} runs it, on the unbounded path)
 * starts and drains them as fast as it can, with nothing else competing for the cores. The rate is
 * taken between the 10th and the 90th percentile of the score append times, leaving out start-up
 * and the tail. Its ceiling, in the same run: a plain {@code KafkaConsumer} reading the same topic.
 * Half of the saturation rate is where {@code bench-latency}'s p99 target applies.
 */
public final class BenchSaturationPipeline {

  /** The benchmark's flags. */
  public interface Options extends BenchEventTopics.Options {
    @Description("Events written before the job starts; the job then drains them.")
    @Default.Integer(100_000)
    Integer getBacklogEvents();

    void setBacklogEvents(Integer value);

    @Description("Fail if the job has not scored the whole backlog this long after it started.")
    @Default.Integer(900)
    Integer getTimeoutSeconds();

    void setTimeoutSeconds(Integer value);

    @Description(
        "Use the events' simulated time (a second apart) as event time instead of the broker's:"
            + " the backlog then spans --backlogEvents seconds, so the keyed feature state grows"
            + " as on a long stream (reported as state per key).")
    @Default.Boolean(false)
    Boolean getSimulatedTime();

    void setSimulatedTime(Boolean value);
  }

  private static final long PROGRESS_MILLIS = 5_000;
  private static final int MIN_BACKLOG = 100;
  // Batches the backlog's writes: its append times do not matter, only the scores' do.
  private static final int BACKLOG_LINGER_MILLIS = 20;

  private BenchSaturationPipeline() {}

  /** One run: writes the backlog, reads it plainly, drains it with the job; returns the figures. */
  public static BenchRepeats.Figures run(Options options, PrintStream out) throws Exception {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    check(options, spec);
    int backlog = options.getBacklogEvents();
    String prefix = "streamml-saturation-" + System.currentTimeMillis();
    String eventsTopic = prefix + "-events";
    String scoresTopic = prefix + "-scores";
    BenchEventTopics.create(options, options.getTopicPartitions(), eventsTopic, scoresTopic);

    out.printf("bench-saturation: writing %d events into %s...%n", backlog, eventsTopic);
    Map<String, Long> appended = new ConcurrentHashMap<>();
    SimulatedEventSource source = new SimulatedEventSource(SimulatorConfig.forUseCase(spec.name()));
    try (BenchEventTopics producer =
        new BenchEventTopics(options, spec, eventsTopic, BACKLOG_LINGER_MILLIS, appended)) {
      for (long i = 0; i < backlog; i++) {
        producer.send(source.record(i));
      }
      producer.flush();
    }

    out.println("bench-saturation: reading it with a plain KafkaConsumer...");
    long consumerStart = System.nanoTime();
    long read =
        BenchKafkaPipeline.readToEnd(
            options.getBootstrapServers(),
            List.of(eventsTopic),
            KafkaClientOptions.clientProperties(options));
    double consumerRate = read / Math.max(1e-9, (System.nanoTime() - consumerStart) / 1e9);

    options.setInputTopic(eventsTopic);
    // As bench-latency: broker time is event time, so the backlog is not late data. Simulated
    // time is in order too: the backlog is written in event order.
    options.setEventTimeFrom(options.getSimulatedTime() ? "payload" : "kafkaTimestamp");
    options.setStartOffset("earliest");
    Pipeline pipeline = BenchKafkaPipeline.topicToTopic(options, spec, true, scoresTopic);
    BenchScoreWatcher scores = new BenchScoreWatcher(options, scoresTopic);
    scores.start();
    out.printf(
        "bench-saturation: draining it on %s into %s...%n",
        options.getRunner().getSimpleName(), scoresTopic);
    long jobStart = System.currentTimeMillis();
    BenchStreamingJob job = BenchStreamingJob.start(pipeline, "bench-saturation");
    KeyedStateSummary state;
    try {
      awaitScores(options, appended.keySet().size(), jobStart, scores, job, out);
      state = KeyedStateSummary.of(job.result());
    } finally {
      // The next of --repeats makes its own topics.
      options.setInputTopic(null);
      scores.stop();
      job.stop(out);
    }
    if (!job.detached() && options.getRepeats() > 1) {
      throw new IllegalStateException(
          "The runner kept the job attached, so it cannot be stopped between --repeats; on Flink"
              + " add --attachedMode=false");
    }
    return report(options, backlog, jobStart, consumerRate, scores, state, out);
  }

  private static void check(Options options, UseCaseSpec spec) {
    BenchEventTopics.check(options, spec, "bench-saturation");
    if (options.getBacklogEvents() < MIN_BACKLOG || options.getTimeoutSeconds() <= 0) {
      throw new IllegalArgumentException(
          "bench-saturation needs --backlogEvents of "
              + MIN_BACKLOG
              + " or more and --timeoutSeconds above 0");
    }
  }

  /** Waits until every backlog event has a score; fails on a job failure or a timeout. */
  private static void awaitScores(
      Options options,
      int events,
      long jobStart,
      BenchScoreWatcher scores,
      BenchStreamingJob job,
      PrintStream out)
      throws InterruptedException {
    long lastProgress = System.currentTimeMillis();
    while (scores.firstScoreTimes().size() < events) {
      job.failIfFailed(scores);
      long now = System.currentTimeMillis();
      int scored = scores.firstScoreTimes().size();
      if (scored == 0 && now - jobStart > options.getStartupTimeoutSeconds() * 1000L) {
        throw new IllegalStateException(
            "The job wrote no score in "
                + options.getStartupTimeoutSeconds()
                + " s (--startupTimeoutSeconds); is the registry's model right?");
      }
      if (now - jobStart > options.getTimeoutSeconds() * 1000L) {
        throw new IllegalStateException(
            "The job scored "
                + scored
                + " of "
                + events
                + " events in "
                + options.getTimeoutSeconds()
                + " s (--timeoutSeconds)");
      }
      if (now - lastProgress >= PROGRESS_MILLIS) {
        lastProgress = now;
        out.printf("bench-saturation: %d of %d events scored%n", scored, events);
      }
      Thread.sleep(100);
    }
  }

  private static BenchRepeats.Figures report(
      Options options,
      int backlog,
      long jobStart,
      double consumerRate,
      BenchScoreWatcher scores,
      @Nullable KeyedStateSummary state,
      PrintStream out) {
    long[] times =
        scores.firstScoreTimes().values().stream().mapToLong(Long::longValue).sorted().toArray();
    long from = BenchLatencyPipeline.percentile(times, 0.10);
    long to = BenchLatencyPipeline.percentile(times, 0.90);
    // Scores appended in [from, to]: 80% of them, over that span.
    long inSpan = Arrays.stream(times).filter(t -> t >= from && t <= to).count();
    double saturation = inSpan / (Math.max(1, to - from) / 1000.0);
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("backlog_events", (double) backlog);
    figures.put("first_score_s", (times[0] - jobStart) / 1000.0);
    figures.put("whole_drain_s", (times[times.length - 1] - jobStart) / 1000.0);
    figures.put("saturation_scores_per_s", saturation);
    figures.put("consumer_records_per_s", consumerRate);
    figures.put("scores_repeated", (double) scores.repeats());
    if (state != null) {
      state.addTo(figures);
    }
    out.printf(
        "%nsaturation, %d events drained by %s (scores between the 10th and 90th percentile of"
            + " their append times)%n",
        backlog, options.getRunner().getSimpleName());
    figures.forEach((name, value) -> out.printf("  %-24s %12.1f%n", name, value));
    out.printf(
        "saturation / plain consumer: %.4f; measure latency at about half: --offeredRate=%.0f%n",
        saturation / consumerRate, saturation / 2);
    return new BenchRepeats.Figures(saturation / consumerRate, figures);
  }
}
