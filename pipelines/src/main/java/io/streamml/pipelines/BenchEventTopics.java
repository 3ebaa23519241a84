package io.streamml.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.pipelines.options.KafkaClientOptions;
import io.streamml.pipelines.options.KafkaOptions;
import io.streamml.schemas.UseCaseSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The topics and the producer of the Kafka stream benchmarks ({@code bench-latency}, {@code
 * bench-saturation}): topics with broker-side timestamps, so that an event's and its score's append
 * times are on one clock, and simulated events sent keyed by their entity, each one's append time
 * recorded by event id.
 */
final class BenchEventTopics implements AutoCloseable {

  /** The flags of the benchmarks that make their own topics. */
  public interface Options extends BenchKafkaPipeline.Options {
    @Description(
        "Partitions of the two topics the benchmark creates; keep it a multiple of the job's"
            + " parallelism: with 3 partitions on 2 Flink readers, the third partition's events"
            + " were scored 1.4 s later than the others'.")
    @Default.Integer(2)
    Integer getTopicPartitions();

    void setTopicPartitions(Integer value);

    @Description("Fail if the job has written no score this long after it started.")
    @Default.Integer(300)
    Integer getStartupTimeoutSeconds();

    void setStartupTimeoutSeconds(Integer value);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final UseCaseSpec spec;
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<String, Long> appended;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  /**
   * A producer of {@code spec}'s events into {@code topic}; {@code lingerMillis} 0 sends each event
   * at once (latency), more batches them (throughput).
   */
  BenchEventTopics(
      KafkaOptions options,
      UseCaseSpec spec,
      String topic,
      int lingerMillis,
      Map<String, Long> appended) {
    this.spec = spec;
    this.topic = topic;
    this.appended = appended;
    Properties props = new Properties();
    props.putAll(KafkaClientOptions.clientProperties(options));
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMillis);
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Refuses, in one line naming {@code command}, flags the benchmarks that make their own topics
   * cannot use and a use case without features.
   */
  static void check(Options options, UseCaseSpec spec, String command) {
    if (options.getBootstrapServers() == null) {
      throw new IllegalArgumentException(command + " needs --bootstrapServers=HOST:PORT");
    }
    if (options.getInputTopic() != null || options.getOutputTopicScores() != null) {
      throw new IllegalArgumentException(
          command + " creates its own topics; drop --inputTopic and --outputTopicScores");
    }
    if (options.getStartupTimeoutSeconds() <= 0 || options.getTopicPartitions() < 1) {
      throw new IllegalArgumentException(
          command + " needs --startupTimeoutSeconds above 0 and --topicPartitions of 1 or more");
    }
    if (spec.features() == null) {
      throw new IllegalArgumentException(
          "Use case '" + spec.name() + "' declares no features to score");
    }
  }

  /**
   * Creates {@code topics} with {@code partitions} each and broker-side ({@code LogAppendTime}).
   */
  static void create(KafkaOptions options, int partitions, String... topics) throws Exception {
    Properties props = new Properties();
    props.putAll(KafkaClientOptions.clientProperties(options));
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.getBootstrapServers());
    List<NewTopic> newTopics = new ArrayList<>();
    for (String name : topics) {
      newTopics.add(
          new NewTopic(name, partitions, (short) 1)
              .configs(Map.of("message.timestamp.type", "LogAppendTime")));
    }
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Sends one simulated event (JSON) keyed by its entity; its append time goes into the map given
   * to the constructor once the broker acknowledges it. Throws if an earlier send failed.
   */
  void send(String record) throws IOException {
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
  }

  /** Waits until every event sent is acknowledged. */
  void flush() throws IOException {
    producer.flush();
    if (failure.get() != null) {
      throw new IOException("Kafka refused an event: " + failure.get().getMessage());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
