package io.streamml.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.pipelines.options.KafkaClientOptions;
import io.streamml.schemas.Score;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.sim.SimulatedEventSource;
import io.streamml.transforms.sim.SimulatorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency at a fixed offered rate: simulated events are produced into a new topic at
 * {@code --offeredRate} per second while the scoring job (topic → parse → per-event features →
 * XGBoost → scores topic, as {@code bench-kafka} runs it) reads it on the chosen runner. Both
 * topics are created with broker-side timestamps ({@code LogAppendTime}), so an event's latency is
 * the time its score was appended minus the time the event was appended, on one clock. Reported:
 * p50, p95, p99 and max over the events after {@code --warmupSeconds}, the scores per second
 * sustained, and events never scored. The ratio is the sustained rate over the offered rate (1.0
 * below saturation).
 */
public final class BenchLatencyPipeline {

  /** The benchmark's flags. */
  public interface Options extends BenchKafkaPipeline.Options {
    @Description("Events produced per second: keep it below the rate bench-kafka sustains.")
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

    @Description("Fail if the job has written no score this long after the first event.")
    @Default.Integer(300)
    Integer getStartupTimeoutSeconds();

    void setStartupTimeoutSeconds(Integer value);

    @Description("After the last event, wait at most this long for the scores still due.")
    @Default.Integer(60)
    Integer getDrainSeconds();

    void setDrainSeconds(Integer value);

    @Description("Partitions of the two topics the benchmark creates.")
    @Default.Integer(3)
    Integer getTopicPartitions();

    void setTopicPartitions(Integer value);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long PROGRESS_MILLIS = 5_000;

  private BenchLatencyPipeline() {}

  /** One run: creates the topics, runs job and producer, and returns the figures. */
  public static BenchRepeats.Figures run(Options options, PrintStream out) throws Exception {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    check(options, spec);
    String prefix = "streamml-latency-" + System.currentTimeMillis();
    String eventsTopic = prefix + "-events";
    String scoresTopic = prefix + "-scores";
    createTopics(options, eventsTopic, scoresTopic);
    options.setInputTopic(eventsTopic);
    // Broker time is event time: simulated payload times lie in the past, and a partition that
    // went idle would make them late.
    options.setEventTimeFrom("kafkaTimestamp");
    options.setStartOffset("earliest");
    Pipeline pipeline = BenchKafkaPipeline.topicToTopic(options, spec, true, scoresTopic);

    ScoreWatcher scores = new ScoreWatcher(options, scoresTopic);
    scores.start();
    AtomicReference<PipelineResult> job = new AtomicReference<>();
    AtomicReference<Throwable> jobFailure = new AtomicReference<>();
    Thread jobThread =
        new Thread(
            () -> {
              try {
                job.set(pipeline.run());
              } catch (Throwable e) {
                jobFailure.set(e);
              }
            },
            "bench-latency-job");
    jobThread.setDaemon(true);
    jobThread.start();
    out.printf(
        "bench-latency: %s events/s for %d s into %s, scored on %s into %s%n",
        options.getOfferedRate(),
        options.getDurationSeconds(),
        eventsTopic,
        options.getRunner().getSimpleName(),
        scoresTopic);

    Map<String, Long> appended = new ConcurrentHashMap<>();
    long measuredFrom;
    try {
      measuredFrom = produce(options, spec, eventsTopic, appended, scores, jobFailure, out);
      drain(options, appended, scores, jobFailure, out);
    } finally {
      // The next of --repeats makes its own topics.
      options.setInputTopic(null);
      scores.stop();
      PipelineResult result = job.get();
      if (result != null) {
        try {
          result.cancel();
        } catch (IOException | UnsupportedOperationException e) {
          out.println("bench-latency: could not cancel the job: " + e.getMessage());
        }
      }
    }
    if (job.get() == null && options.getRepeats() > 1) {
      throw new IllegalStateException(
          "The runner kept the job attached, so it cannot be stopped between --repeats; on Flink"
              + " add --attachedMode=false");
    }
    return report(options, measuredFrom, appended, scores.firstScoreTimes(), scores.repeats(), out);
  }

  private static void check(Options options, UseCaseSpec spec) {
    if (options.getBootstrapServers() == null) {
      throw new IllegalArgumentException("bench-latency needs --bootstrapServers=HOST:PORT");
    }
    if (options.getInputTopic() != null || options.getOutputTopicScores() != null) {
      throw new IllegalArgumentException(
          "bench-latency creates its own topics; drop --inputTopic and --outputTopicScores");
    }
    if (options.getOfferedRate() <= 0
        || options.getDurationSeconds() <= 0
        || options.getWarmupSeconds() < 0
        || options.getDrainSeconds() < 0
        || options.getStartupTimeoutSeconds() <= 0
        || options.getTopicPartitions() < 1) {
      throw new IllegalArgumentException(
          "bench-latency needs --offeredRate, --durationSeconds and --startupTimeoutSeconds above"
              + " 0, --warmupSeconds and --drainSeconds of 0 or more, and --topicPartitions of 1"
              + " or more");
    }
    if (spec.features() == null) {
      throw new IllegalArgumentException(
          "Use case '" + spec.name() + "' declares no features to score");
    }
  }

  private static void createTopics(Options options, String... topics) throws Exception {
    Properties props = new Properties();
    props.putAll(KafkaClientOptions.clientProperties(options));
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.getBootstrapServers());
    List<NewTopic> newTopics = new ArrayList<>();
    for (String topic : topics) {
      newTopics.add(
          new NewTopic(topic, options.getTopicPartitions(), (short) 1)
              .configs(Map.of("message.timestamp.type", "LogAppendTime")));
    }
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Sends events at the offered rate, recording each one's append time by id: until the first score
   * is out, then for the warm-up and the measured duration. Returns when measuring began (epoch
   * millis).
   */
  private static long produce(
      Options options,
      UseCaseSpec spec,
      String topic,
      Map<String, Long> appended,
      ScoreWatcher scores,
      AtomicReference<Throwable> jobFailure,
      PrintStream out)
      throws Exception {
    Properties props = new Properties();
    props.putAll(KafkaClientOptions.clientProperties(options));
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    SimulatedEventSource source = new SimulatedEventSource(SimulatorConfig.forUseCase(spec.name()));
    AtomicReference<Exception> failure = new AtomicReference<>();
    long startNanos = System.nanoTime();
    long startupDeadline = System.currentTimeMillis() + options.getStartupTimeoutSeconds() * 1000L;
    long measuredFrom = Long.MAX_VALUE;
    long lastProgress = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; ; i++) {
        long now = System.currentTimeMillis();
        if (measuredFrom == Long.MAX_VALUE && !scores.firstScoreTimes().isEmpty()) {
          measuredFrom = now + options.getWarmupSeconds() * 1000L;
          out.printf(
              "bench-latency: first score after %.1f s; warming up %d s, then measuring %d s%n",
              (System.nanoTime() - startNanos) / 1e9,
              options.getWarmupSeconds(),
              options.getDurationSeconds());
        }
        boolean started = measuredFrom != Long.MAX_VALUE;
        if (started && now >= measuredFrom + options.getDurationSeconds() * 1000L) {
          break;
        }
        if (!started && now > startupDeadline) {
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
        String record = source.record(i);
        JsonNode event = MAPPER.readTree(record);
        String id = event.path(spec.idField()).asText();
        byte[] key = event.path(spec.keyField()).asText().getBytes(StandardCharsets.UTF_8);
        producer.send(
            new ProducerRecord<>(topic, key, record.getBytes(StandardCharsets.UTF_8)),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                appended.put(id, metadata.timestamp());
              }
            });
        if (failure.get() != null) {
          throw new IOException("Kafka refused an event: " + failure.get().getMessage());
        }
        failIfFailed(jobFailure, scores);
        if (now - lastProgress >= PROGRESS_MILLIS) {
          lastProgress = now;
          out.printf(
              "bench-latency: %d events produced, %d scored%n",
              appended.size(), scores.firstScoreTimes().size());
        }
      }
      producer.flush();
    }
    return measuredFrom;
  }

  /** Waits until every produced event has a score, or the drain time is over. */
  private static void drain(
      Options options,
      Map<String, Long> appended,
      ScoreWatcher scores,
      AtomicReference<Throwable> jobFailure,
      PrintStream out)
      throws Exception {
    long deadline = System.currentTimeMillis() + options.getDrainSeconds() * 1000L;
    while (!scores.firstScoreTimes().keySet().containsAll(appended.keySet())
        && System.currentTimeMillis() < deadline) {
      failIfFailed(jobFailure, scores);
      Thread.sleep(200);
    }
    out.printf(
        "bench-latency: %d events produced, %d scored%n",
        appended.size(), scores.firstScoreTimes().size());
  }

  private static void failIfFailed(AtomicReference<Throwable> jobFailure, ScoreWatcher scores) {
    if (jobFailure.get() != null) {
      throw new IllegalStateException(
          "The scoring job failed: " + jobFailure.get().getMessage(), jobFailure.get());
    }
    Throwable watcher = scores.failure();
    if (watcher != null) {
      throw new IllegalStateException(
          "Reading the scores topic failed: " + watcher.getMessage(), watcher);
    }
  }

  private static BenchRepeats.Figures report(
      Options options,
      long measuredFrom,
      Map<String, Long> appended,
      Map<String, Long> scored,
      long repeats,
      PrintStream out) {
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
    figures.put("offered_events_per_s", offered);
    figures.put("sustained_scores_per_s", sustained);
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
    return new BenchRepeats.Figures(sustained / offered, figures);
  }

  /** The nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double quantile) {
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Reads the scores topic from its start, keeping each event's first score append time. */
  private static final class ScoreWatcher {
    private final Options options;
    private final String topic;
    private final Map<String, Long> first = new ConcurrentHashMap<>();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    ScoreWatcher(Options options, String topic) {
      this.options = options;
      this.topic = topic;
      this.thread = new Thread(this::poll, "bench-latency-scores");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }

    Map<String, Long> firstScoreTimes() {
      return first;
    }

    long repeats() {
      return repeats.get();
    }

    /** What stopped the watcher early (a score that is not JSON, Kafka refusing), or null. */
    Throwable failure() {
      return failure.get();
    }

    private void poll() {
      try (KafkaConsumer<byte[], byte[]> consumer =
          TopicsFromStart.open(
              options.getBootstrapServers(),
              KafkaClientOptions.clientProperties(options),
              List.of(topic))) {
        while (running.get()) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            String id = MAPPER.readTree(record.value()).path(Score.EVENT_ID).asText();
            if (first.putIfAbsent(id, record.timestamp()) != null) {
              repeats.incrementAndGet();
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // Reported by the main thread (failIfFailed), which would otherwise only see no scores.
        failure.set(e);
      }
    }
  }
}
