package io.streamml.pipelines;

import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.sim.SimulatedEventSource;
import io.streamml.transforms.sim.SimulatorConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * End-to-end latency at a fixed offered rate: simulated events are produced into a new topic at
 * {@code --offeredRate} per second while the scoring job (topic → parse → per-event features →
 * XGBoost → scores topic, as {@code bench-kafka} runs it) reads it on the chosen runner. Both
 * topics are created with broker-side timestamps ({@code LogAppendTime}), so an event's latency is
 * the time its score was appended minus the time the event was appended, on one clock. Reported:
 * p50, p95, p99 and max over the events after {@code --warmupSeconds} and the catch-up (until the
 * job is less than a second of events behind, at most {@code --catchUpSeconds}), the scores per
 * second sustained, and events never scored. The ratio is the sustained rate over the offered rate
 * (1.0 below saturation).
 */
public final class BenchLatencyPipeline {

  /** The benchmark's flags. */
  public interface Options extends BenchEventTopics.Options {
    @Description("Events produced per second: keep it below the rate bench-saturation measures.")
    @Default.Double(200)
    Double getOfferedRate();

    void setOfferedRate(Double value);

    @Description("How long to measure, in seconds (after the start-up and the warm-up).")
    @Default.Integer(60)
    Integer getDurationSeconds();

    void setDurationSeconds(Integer value);

    @Description(
        "Once the first score is out (the job is up), keep producing this long before measuring:"
            + " JIT warm-up and the start-up backlog are left out of the figures.")
    @Default.Integer(20)
    Integer getWarmupSeconds();

    void setWarmupSeconds(Integer value);

    @Description(
        "After the warm-up, wait at most this long for the job to catch up (less than a second of"
            + " events behind) before measuring, so a start-up backlog is not measured as latency;"
            + " a job that never catches up is measured anyway, its backlog included.")
    @Default.Integer(120)
    Integer getCatchUpSeconds();

    void setCatchUpSeconds(Integer value);

    @Description("After the last event, wait at most this long for the scores still due.")
    @Default.Integer(60)
    Integer getDrainSeconds();

    void setDrainSeconds(Integer value);
  }

  private static final long PROGRESS_MILLIS = 5_000;
  // Latency starts at the broker's append, after the producer's linger, so batching a few
  // milliseconds costs the figures nothing and spares the shared cores a request per event.
  private static final int PRODUCER_LINGER_MILLIS = 5;
  private static final String SUSTAINED = "sustained_scores_per_s";
  // Below this share of the offered rate the job is not keeping up: it is saturated.
  private static final double KEEPING_UP = 0.95;

  private BenchLatencyPipeline() {}

  /** One run: creates the topics, runs job and producer, and returns the figures. */
  public static BenchRepeats.Figures run(Options options, PrintStream out) throws Exception {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    check(options, spec);
    String prefix = "streamml-latency-" + System.currentTimeMillis();
    String eventsTopic = prefix + "-events";
    String scoresTopic = prefix + "-scores";
    BenchEventTopics.create(options, options.getTopicPartitions(), eventsTopic, scoresTopic);
    options.setInputTopic(eventsTopic);
    // Broker time is event time: simulated payload times lie in the past, and a partition that
    // went idle would make them late.
    options.setEventTimeFrom("kafkaTimestamp");
    options.setStartOffset("earliest");
    Pipeline pipeline = BenchKafkaPipeline.topicToTopic(options, spec, true, scoresTopic);

    BenchScoreWatcher scores = new BenchScoreWatcher(options, scoresTopic);
    scores.start();
    BenchStreamingJob job = BenchStreamingJob.start(pipeline, "bench-latency");
    out.printf(
        "bench-latency: %s events/s for %d s into %s, scored on %s into %s%n",
        options.getOfferedRate(),
        options.getDurationSeconds(),
        eventsTopic,
        options.getRunner().getSimpleName(),
        scoresTopic);

    Map<String, Long> appended = new ConcurrentHashMap<>();
    Measured measured;
    try {
      measured = produce(options, spec, eventsTopic, appended, scores, job, out);
      drain(options, appended, scores, job, out);
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
    return report(options, measured, appended, scores.firstScoreTimes(), scores.repeats(), out);
  }

  private static void check(Options options, UseCaseSpec spec) {
    BenchEventTopics.check(options, spec, "bench-latency");
    if (options.getOfferedRate() <= 0
        || options.getDurationSeconds() <= 0
        || options.getWarmupSeconds() < 0
        || options.getCatchUpSeconds() < 0
        || options.getDrainSeconds() < 0) {
      throw new IllegalArgumentException(
          "bench-latency needs --offeredRate and --durationSeconds above 0, and --warmupSeconds,"
              + " --catchUpSeconds and --drainSeconds of 0 or more");
    }
  }

  /**
   * Sends events at the offered rate, recording each one's append time by id: until the first score
   * is out, then for the warm-up, the catch-up and the measured duration. Returns when measuring
   * began.
   */
  private static Measured produce(
      Options options,
      UseCaseSpec spec,
      String topic,
      Map<String, Long> appended,
      BenchScoreWatcher scores,
      BenchStreamingJob job,
      PrintStream out)
      throws Exception {
    SimulatedEventSource source = new SimulatedEventSource(SimulatorConfig.forUseCase(spec.name()));
    long startNanos = System.nanoTime();
    long startupDeadline = System.currentTimeMillis() + options.getStartupTimeoutSeconds() * 1000L;
    long firstScore = Long.MAX_VALUE;
    long measuredFrom = Long.MAX_VALUE;
    long lastProgress = System.currentTimeMillis();
    try (BenchEventTopics producer =
        new BenchEventTopics(options, spec, topic, PRODUCER_LINGER_MILLIS, appended)) {
      for (long i = 0; ; i++) {
        long now = System.currentTimeMillis();
        if (firstScore == Long.MAX_VALUE && !scores.firstScoreTimes().isEmpty()) {
          firstScore = now;
          out.printf(
              "bench-latency: first score after %.1f s; warming up %d s, then measuring %d s once"
                  + " the job has caught up%n",
              (System.nanoTime() - startNanos) / 1e9,
              options.getWarmupSeconds(),
              options.getDurationSeconds());
        }
        if (measuredFrom == Long.MAX_VALUE && firstScore != Long.MAX_VALUE) {
          long behind = appended.size() - scores.firstScoreTimes().size();
          if (readyToMeasure(options, now - firstScore, behind)) {
            measuredFrom = now;
            out.printf(
                "bench-latency: measuring from %.1f s after the first score, %d events behind%n",
                (now - firstScore) / 1000.0, behind);
          }
        }
        boolean measuring = measuredFrom != Long.MAX_VALUE;
        if (measuring && now >= measuredFrom + options.getDurationSeconds() * 1000L) {
          break;
        }
        if (firstScore == Long.MAX_VALUE && now > startupDeadline) {
          throw new IllegalStateException(
              "The job wrote no score in "
                  + options.getStartupTimeoutSeconds()
                  + " s (--startupTimeoutSeconds); is the registry's model right?");
        }
        long due = startNanos + (long) (i * 1e9 / options.getOfferedRate());
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        producer.send(source.record(i));
        job.failIfFailed(scores);
        if (now - lastProgress >= PROGRESS_MILLIS) {
          lastProgress = now;
          out.printf(
              "bench-latency: %d events produced, %d scored%n",
              appended.size(), scores.firstScoreTimes().size());
        }
      }
      producer.flush();
    }
    return new Measured(firstScore, measuredFrom);
  }

  /**
   * When the first score came out and when measuring began (epoch millis, this machine's clock).
   */
  private record Measured(long firstScore, long from) {}

  /**
   * Whether measuring may begin, given the time since the first score and how many events are
   * produced but not scored: after the warm-up, once the job is less than a second of events
   * behind, or when the catch-up time is over (a saturated job, measured as it is).
   */
  static boolean readyToMeasure(Options options, long millisSinceFirstScore, long eventsBehind) {
    long warmupMillis = options.getWarmupSeconds() * 1000L;
    if (millisSinceFirstScore < warmupMillis) {
      return false;
    }
    return eventsBehind < options.getOfferedRate()
        || millisSinceFirstScore >= warmupMillis + options.getCatchUpSeconds() * 1000L;
  }

  /** Waits until every produced event has a score, or the drain time is over. */
  private static void drain(
      Options options,
      Map<String, Long> appended,
      BenchScoreWatcher scores,
      BenchStreamingJob job,
      PrintStream out)
      throws Exception {
    long deadline = System.currentTimeMillis() + options.getDrainSeconds() * 1000L;
    while (!scores.firstScoreTimes().keySet().containsAll(appended.keySet())
        && System.currentTimeMillis() < deadline) {
      job.failIfFailed(scores);
      Thread.sleep(200);
    }
    out.printf(
        "bench-latency: %d events produced, %d scored%n",
        appended.size(), scores.firstScoreTimes().size());
  }

  private static BenchRepeats.Figures report(
      Options options,
      Measured measured,
      Map<String, Long> appended,
      Map<String, Long> scored,
      long repeats,
      PrintStream out) {
    long measuredFrom = measured.from();
    List<Long> latencies = new ArrayList<>();
    long missing = 0;
    long measuredEvents = 0;
    for (Map.Entry<String, Long> event : appended.entrySet()) {
      if (event.getValue() < measuredFrom) {
        continue;
      }
      measuredEvents++;
      Long scoreTime = scored.get(event.getKey());
      if (scoreTime == null) {
        missing++;
      } else {
        latencies.add(scoreTime - event.getValue());
      }
    }
    if (latencies.isEmpty()) {
      throw new IllegalStateException(
          "No event after the warm-up was scored: the job did not keep up or did not start; run"
              + " longer (--durationSeconds) or offer less (--offeredRate)");
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    long producedUntil = appended.values().stream().mapToLong(Long::longValue).max().orElse(0);
    double measuredSeconds = Math.max(1, producedUntil - measuredFrom) / 1000.0;
    double offered = measuredEvents / measuredSeconds;
    long scoredInWindow =
        scored.values().stream().filter(t -> t >= measuredFrom && t <= producedUntil).count();
    double sustained = scoredInWindow / measuredSeconds;
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("warmup_and_catch_up_s", (measuredFrom - measured.firstScore()) / 1000.0);
    figures.put("offered_events_per_s", offered);
    figures.put(SUSTAINED, sustained);
    figures.put("saturated", sustained < KEEPING_UP * offered ? 1.0 : 0.0);
    figures.put("latency_p50_ms", (double) percentile(sorted, 0.50));
    figures.put("latency_p95_ms", (double) percentile(sorted, 0.95));
    figures.put("latency_p99_ms", (double) percentile(sorted, 0.99));
    figures.put("latency_max_ms", (double) sorted[sorted.length - 1]);
    figures.put("events_not_scored", (double) missing);
    figures.put("scores_repeated", (double) repeats);
    out.printf(
        "%nlatency, event appended -> score appended (%s, %d events over %d s)%n",
        options.getRunner().getSimpleName(), measuredEvents, options.getDurationSeconds());
    figures.forEach((name, value) -> out.printf("  %-24s %12.1f%n", name, value));
    out.printf("sustained / offered: %.3f%n", sustained / offered);
    if (sustained < KEEPING_UP * offered) {
      out.printf(
          "saturated: the job sustained %.0f of the %.0f events/s offered; that is its capacity"
              + " here, so measure latency again at about half of it (--offeredRate=%.0f)%n",
          sustained, offered, sustained / 2);
    }
    return new BenchRepeats.Figures(sustained / offered, figures);
  }

  /** The nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double quantile) {
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
