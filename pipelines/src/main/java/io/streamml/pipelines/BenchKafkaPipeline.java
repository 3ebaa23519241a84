package io.streamml.pipelines;

import io.streamml.pipelines.options.BenchOptions;
import io.streamml.pipelines.options.KafkaClientOptions;
import io.streamml.pipelines.options.KafkaOptions;
import io.streamml.pipelines.options.KafkaSinkOptions;
import io.streamml.pipelines.options.RegistryOptions;
import io.streamml.pipelines.options.ScoreTopicsOptions;
import io.streamml.pipelines.options.ScoringOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.Score;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.features.WindowedFeatures;
import io.streamml.transforms.ingest.ParseEvents;
import io.streamml.transforms.ingest.ReadEvents;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Events per second from a Kafka topic to a Kafka output topic on the chosen runner: read → parse →
 * features → {@code --outputTopicFeatures}, or, with {@code --outputTopicScores}, read → parse →
 * features → XGBoost scores (the registry's model) → that topic; against the ceiling of a plain
 * {@link KafkaConsumer} reading the same records in the same run. Not a test: the pipeline reads
 * exactly as many records as the consumer found, so both sides do the same amount of reading.
 */
public final class BenchKafkaPipeline {

  /** The benchmark's flags. */
  public interface Options
      extends UseCaseOptions,
          KafkaOptions,
          KafkaSinkOptions,
          ScoreTopicsOptions,
          RegistryOptions,
          ScoringOptions,
          BenchOptions {}

  private static final Duration POLL = Duration.ofMillis(500);

  private BenchKafkaPipeline() {}

  /** Runs both sides and prints the table; returns the pipeline rate / consumer rate ratio. */
  public static double run(Options options, PrintStream out) {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    boolean scoring = options.getOutputTopicScores() != null;
    if ((options.getOutputTopicFeatures() == null) == !scoring) {
      throw new IllegalArgumentException(
          "bench-kafka needs one of --outputTopicFeatures=TOPIC (features) or"
              + " --outputTopicScores=TOPIC (features and scores)");
    }
    if (options.getMaxRecords() != null
        || options.getConsumerGroup() != null
        || options.getStopTimestamp() != null) {
      throw new IllegalArgumentException(
          "bench-kafka reads whole topics without a group; drop --maxRecords, --stopTimestamp"
              + " and --consumerGroup");
    }
    List<String> topics = List.of(options.getInputTopic().split(","));

    out.printf("reading %s with a plain KafkaConsumer...%n", topics);
    long consumerStart = System.nanoTime();
    long records =
        readToEnd(
            options.getBootstrapServers(), topics, KafkaClientOptions.clientProperties(options));
    double consumerSeconds = (System.nanoTime() - consumerStart) / 1e9;
    if (records == 0) {
      throw new IllegalArgumentException(
          "topic(s) " + topics + " are empty; fill them first with 'streamml produce'");
    }

    options.setStopAtEnd(true);
    String target = scoring ? options.getOutputTopicScores() : options.getOutputTopicFeatures();
    out.printf(
        "running topic -> features%s -> %s on %s...%n",
        scoring ? " -> scores" : "", target, options.getRunner().getSimpleName());
    Pipeline pipeline = topicToTopic(options, spec, scoring, target);
    long pipelineStart = System.nanoTime();
    pipeline.run().waitUntilFinish();
    double pipelineSeconds = (System.nanoTime() - pipelineStart) / 1e9;

    double consumerRate = records / consumerSeconds;
    double pipelineRate = records / pipelineSeconds;
    out.printf(
        "%n%-40s %12s %10s %14s%n",
        "kafka (" + spec.name() + ")", "records", "seconds", "records/s");
    out.printf(
        "%-40s %12d %10.2f %14.0f%n",
        "plain KafkaConsumer (read only)", records, consumerSeconds, consumerRate);
    out.printf(
        "%-40s %12d %10.2f %14.0f%n",
        "pipeline on " + options.getRunner().getSimpleName(),
        records,
        pipelineSeconds,
        pipelineRate);
    out.printf(
        "pipeline / consumer: %.3f (pipeline time includes job start-up, parsing, features%s and"
            + " the write)%n",
        pipelineRate / consumerRate, scoring ? ", scoring" : "");
    return pipelineRate / consumerRate;
  }

  /**
   * The benchmarked job: the input topic → parse → features (→ XGBoost scores with the registry's
   * model) → {@code target}, with Kafka's settings from {@code options}.
   */
  static Pipeline topicToTopic(Options options, UseCaseSpec spec, boolean scoring, String target) {
    Pipeline pipeline = Pipeline.create(options);
    PCollection<Row> vectors =
        pipeline
            .apply("ReadEvents", ReadEvents.fromKafka(KafkaSources.config(options, spec)))
            .apply("ParseEvents", ParseEvents.of(spec))
            .output()
            .apply("ExtractFeatures", WindowedFeatures.of(spec))
            .output();
    if (scoring) {
      PCollection<Row> scores =
          vectors
              .apply("ScoreWithXGBoost", ScoringStages.transform(options, options.getRegistry()))
              .output();
      StreamOutputs.toKafka(scores, "Scores", target, Score.KEY, options);
    } else {
      StreamOutputs.toKafka(vectors, "Features", target, FeatureVector.KEY, options);
    }
    return pipeline;
  }

  /** Reads every record now in {@code topics} and returns how many there were. */
  static long readToEnd(
      String bootstrapServers, List<String> topics, Map<String, String> clientProperties) {
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        TopicsFromStart.open(bootstrapServers, clientProperties, topics)) {
      Set<TopicPartition> partitions = consumer.assignment();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        count += consumer.poll(POLL).count();
      }
    }
    return count;
  }
}
