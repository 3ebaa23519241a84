package io.streamml.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.pipelines.options.KafkaClientOptions;
import io.streamml.pipelines.options.SimulatorOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.io.FileLines;
import io.streamml.transforms.io.KafkaClientProperties;
import io.streamml.transforms.sim.SimulatedEventSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code streamml produce}: replays simulated or file events into a Kafka topic at a chosen rate,
 * keyed by the use case's entity key, with a plain Kafka producer (no Beam pipeline). Records that
 * are not JSON objects (the simulator's malformed ones, bad file lines) are sent unkeyed, as they
 * are, so the pipelines downstream see them.
 */
public final class EventProducer {

  /** The command's flags. */
  public interface Options extends UseCaseOptions, SimulatorOptions, KafkaClientOptions {
    @Description("Kafka brokers (host:port,...).")
    @Validation.Required
    String getBootstrapServers();

    void setBootstrapServers(String value);

    @Description("Topic to write events to.")
    @Validation.Required
    String getTopic();

    void setTopic(String value);

    @Description(
        "Replay the lines of these JSON-lines files (any Beam filesystem, globs allowed) instead"
            + " of simulated events.")
    String getInput();

    void setInput(String value);

    @Description("Send at most this many records per second; unset: as fast as possible.")
    Double getRatePerSecond();

    void setRatePerSecond(Double value);

    @Description("Stop after this many records (simulated: --events by default).")
    Long getMaxRecords();

    void setMaxRecords(Long value);

    @Description("Share of simulated records replaced by malformed ones.")
    @Default.Double(0.0)
    Double getProduceMalformedRate();

    void setProduceMalformedRate(Double value);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long PROGRESS_NANOS = 1_000_000_000L;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final String keyField;
  private final @Nullable Double rate;
  private final long maxRecords;
  private final PrintStream out;
  private final AtomicLong acked = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private long sent;
  private long startNanos;
  private long lastProgressNanos;

  private EventProducer(Options options, UseCaseSpec spec, long maxRecords, PrintStream out) {
    Map<String, String> settings = KafkaClientOptions.clientProperties(options);
    KafkaClientProperties.checkNotOwned(
        settings, List.of("bootstrap.servers", "key.serializer", "value.serializer"));
    Properties props = new Properties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    props.putAll(settings);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getBootstrapServers());
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = options.getTopic();
    this.keyField = spec.keyField();
    this.rate = options.getRatePerSecond();
    this.maxRecords = maxRecords;
    this.out = out;
  }

  /**
   * The simulator's own pacing and damage flags are options here too (shared with the pipelines),
   * but the producer sends at its own rate: named, they would be silently ignored.
   */
  private static void refuseSimulatorPacingFlags(Options options) {
    if (options.getEventsPerSecond() != null) {
      throw new IllegalArgumentException(
          "--eventsPerSecond paces a pipeline's simulator; produce sends at --ratePerSecond");
    }
    if (options.getMalformedRate() != null) {
      throw new IllegalArgumentException(
          "--malformedRate is the pipelines' simulator flag; produce takes"
              + " --produceMalformedRate");
    }
  }

  /** Sends the records and returns how many the broker acknowledged. */
  public static long run(Options options, PrintStream out)
      throws IOException, InterruptedException {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    refuseSimulatorPacingFlags(options);
    if (options.getRatePerSecond() != null && options.getRatePerSecond() <= 0) {
      throw new IllegalArgumentException(
          "--ratePerSecond must be above 0, not " + options.getRatePerSecond());
    }
    Long max = options.getMaxRecords();
    if (max != null && max <= 0) {
      throw new IllegalArgumentException("--maxRecords must be above 0, not " + max);
    }
    long limit = max == null ? Long.MAX_VALUE : max;
    EventProducer producer = new EventProducer(options, spec, limit, out);
    try {
      producer.startNanos = System.nanoTime();
      producer.lastProgressNanos = producer.startNanos;
      if (options.getInput() != null) {
        FileSystems.setDefaultPipelineOptions(options);
        FileLines.forEachLine(options.getInput(), EmptyMatchTreatment.DISALLOW, producer::send);
      } else {
        SimulatedEventSource source =
            new SimulatedEventSource(
                EventInputs.simulatorConfig(options, spec, options.getProduceMalformedRate()));
        long events = options.getEvents() == 0 ? Long.MAX_VALUE : options.getEvents();
        for (long i = 0; i < events && producer.sent < limit; i++) {
          producer.send(source.record(i));
        }
      }
      producer.producer.flush();
    } finally {
      producer.producer.close();
    }
    if (producer.failure.get() != null) {
      throw new IOException(
          "Kafka did not accept every record: " + producer.failure.get().getMessage(),
          producer.failure.get());
    }
    double seconds = (System.nanoTime() - producer.startNanos) / 1e9;
    out.printf(
        "streamml produce: %d records to %s in %.1f s (%.0f/s)%n",
        producer.acked.get(), producer.topic, seconds, producer.acked.get() / seconds);
    return producer.acked.get();
  }

  private void send(String record) {
    if (sent >= maxRecords || failure.get() != null) {
      return;
    }
    pace();
    producer.send(
        new ProducerRecord<>(topic, key(record), record.getBytes(StandardCharsets.UTF_8)),
        (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          } else {
            acked.incrementAndGet();
          }
        });
    sent++;
    long now = System.nanoTime();
    if (now - lastProgressNanos >= PROGRESS_NANOS) {
      lastProgressNanos = now;
      out.printf(
          "streamml produce: %d sent, %d acknowledged (%.0f/s)%n",
          sent, acked.get(), sent / ((now - startNanos) / 1e9));
    }
  }

  private void pace() {
    if (rate == null) {
      return;
    }
    long due = startNanos + (long) (sent * 1e9 / rate);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted", e);
      }
    }
  }

  private byte @Nullable [] key(String record) {
    try {
      JsonNode key = MAPPER.readTree(record).get(keyField);
      return key == null || key.isNull() ? null : key.asText().getBytes(StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
