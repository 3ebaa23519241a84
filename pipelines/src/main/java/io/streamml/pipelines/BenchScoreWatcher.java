package io.streamml.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.pipelines.options.KafkaClientOptions;
import io.streamml.pipelines.options.KafkaOptions;
import io.streamml.schemas.Score;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads a bench run's scores topic from its start, keeping each event's first score append time (by
 * event id) and counting repeats; in a daemon thread, until stopped.
 */
final class BenchScoreWatcher {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final KafkaOptions options;
  private final String topic;
  private final Map<String, Long> first = new ConcurrentHashMap<>();
  private final AtomicLong repeats = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;

  BenchScoreWatcher(KafkaOptions options, String topic) {
    this.options = options;
    this.topic = topic;
    this.thread = new Thread(this::poll, "bench-scores-watcher");
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
