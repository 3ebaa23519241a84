package io.streamml.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real single-node Kafka broker (KRaft) in its own {@code java} process, started from the jars of
 * {@code integration-tests/kafka-local} exactly as {@code ./streamml kafka-local} runs it, on a
 * free loopback port. Its classpath (Scala 2.13) never meets the runners' (Scala 2.12).
 */
final class LocalKafkaBroker implements AutoCloseable {

  private static final String MAIN = "io.streamml.kafkalocal.KafkaLocal";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final Path workDir;
  private final List<String> flags;
  private final String bootstrapServers;
  private LoggedJavaProcess process;
  private int starts;

  private LocalKafkaBroker(Path workDir, List<String> flags, String bootstrapServers) {
    this.workDir = workDir;
    this.flags = flags;
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts a broker with {@code topics} ({@code name} or {@code name:partitions}) and waits. */
  static LocalKafkaBroker start(Path workDir, String... topics)
      throws IOException, InterruptedException {
    return start(workDir, List.of(), topics);
  }

  /**
   * As {@link #start(Path, String...)}, with more {@code kafka-local} flags, e.g. a second, secured
   * {@code --listener}; this class's own clients keep to the PLAINTEXT one.
   */
  static LocalKafkaBroker start(Path workDir, List<String> extraFlags, String... topics)
      throws IOException, InterruptedException {
    int[] ports = FreePorts.onLoopback(2);
    // Both ports and the data folder are fixed, so a restarted broker is the same broker.
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--port=" + ports[0],
                "--controllerPort=" + ports[1],
                "--topics=" + String.join(",", topics),
                "--dataDir=" + workDir.resolve("kafka-data")));
    flags.addAll(extraFlags);
    LocalKafkaBroker broker = new LocalKafkaBroker(workDir, flags, "127.0.0.1:" + ports[0]);
    broker.launch();
    return broker;
  }

  /**
   * Stops the broker (SIGTERM, Kafka's clean shutdown); {@link #restart} brings it back on the same
   * port with the same data.
   */
  void stop() throws InterruptedException {
    process.close();
  }

  /** Starts the stopped broker again on its port, with its topics and records, and waits. */
  void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      throw new IllegalStateException("The broker is running; stop it first");
    }
    launch();
  }

  private void launch() throws IOException, InterruptedException {
    Path lib = Paths.get(System.getProperty("kafka.local.lib", "../kafka-local/target/lib"));
    starts++;
    Path log =
        workDir.resolve(starts == 1 ? "kafka-broker.log" : "kafka-broker-" + starts + ".log");
    process = LoggedJavaProcess.start("kafka-broker", List.of("-Xmx512m"), lib, MAIN, flags, log);
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("The Kafka broker exited while starting:\n" + process.tail(60));
      }
      if (Files.readString(log, StandardCharsets.UTF_8).contains("kafka-local: ready at")) {
        return;
      }
      Thread.sleep(250);
    }
    process.close();
    throw new AssertionError("The Kafka broker did not start in " + START_TIMEOUT);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  String logTail() {
    return process.tail(60);
  }

  /** Sends raw values (unkeyed) and waits until the broker has them. */
  void send(String topic, List<byte[]> values) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] value : values) {
        producer.send(new ProducerRecord<>(topic, value)).get();
      }
    }
  }

  /**
   * Every record of {@code topic} up to its current end offsets (call it once the writers are
   * done), reading only committed transactional records.
   */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plus(READ_TIMEOUT);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("Could not read " + topic + " to its end in " + READ_TIMEOUT);
        }
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }

  /** The sum over partitions of the offsets {@code group} has committed. */
  long committedOffsets(String group) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .values()
          .stream()
          .mapToLong(OffsetAndMetadata::offset)
          .sum();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
