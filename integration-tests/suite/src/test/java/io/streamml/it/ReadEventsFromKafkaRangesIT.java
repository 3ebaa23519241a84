package io.streamml.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.streamml.transforms.ingest.KafkaSourceConfig;
import io.streamml.transforms.ingest.RawPayloads;
import io.streamml.transforms.ingest.ReadEvents;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link ReadEvents#fromKafka} with {@code stopAtEnd}, on the Direct runner against a real broker:
 * each partition is read from its start to the end offset listed when the pipeline is built, with
 * event time from the payload, bytes that are not UTF-8 kept, aborted transactions skipped under
 * {@code read_committed}, and the group's offsets committed. JUnit 4 for Beam's {@code
 * TestPipeline} rule.
 */
public class ReadEventsFromKafkaRangesIT {

  @ClassRule public static final TemporaryFolder WORK = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final Charset UTF8 = StandardCharsets.UTF_8;
  private static final byte[] NOT_UTF8 = {(byte) 0xc3, (byte) 0x28, 'x'};
  private static LocalKafkaBroker broker;

  @BeforeClass
  public static void startBroker() throws Exception {
    broker =
        LocalKafkaBroker.start(
            WORK.getRoot().toPath(), "spread:3", "txn:1", "grouped:2", "stalled:1");
  }

  @AfterClass
  public static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  public void readsEveryPartitionToItsEndAtEventTimeKeepingBytesThatAreNotUtf8() throws Exception {
    List<KV<String, Long>> expected = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      for (int i = 0; i < 30; i++) {
        String payload = event(i);
        producer.send(new ProducerRecord<>("spread", i % 3, null, payload.getBytes(UTF8))).get();
        expected.add(KV.of(payload, eventMillis(i)));
      }
      // No event time in it: it gets its Kafka timestamp, which is set here.
      producer.send(new ProducerRecord<>("spread", 2, 1_000L, null, NOT_UTF8)).get();
      expected.add(KV.of(RawPayloads.decode(NOT_UTF8), 1_000L));
    }
    PCollection<String> read =
        pipeline.apply(ReadEvents.fromKafka(config("spread").withStopAtEnd(true)));

    PAssert.that(read.apply(ParDo.of(new WithTimestamp()))).containsInAnyOrder(expected);
    assertEquals(PCollection.IsBounded.BOUNDED, read.isBounded());
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void readCommittedSkipsAnAbortedTransactionAndStillEnds() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ranges-it"))) {
      producer.initTransactions();
      sendInATransaction(producer, List.of(0, 1, 2), true);
      sendInATransaction(producer, List.of(3, 4), false);
      sendInATransaction(producer, List.of(5), true);
    }
    PCollection<String> read =
        pipeline.apply(
            ReadEvents.fromKafka(
                config("txn")
                    .withStopAtEnd(true)
                    .withClientProperties(Map.of("isolation.level", "read_committed"))));

    PAssert.that(read).containsInAnyOrder(event(0), event(1), event(2), event(5));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aConsumerGroupCommitsTheEndOfEveryPartitionItRead() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("grouped", i % 2, null, event(i).getBytes(UTF8))).get();
      }
    }
    pipeline.apply(
        ReadEvents.fromKafka(config("grouped").withConsumerGroup("ranges").withStopAtEnd(true)));
    pipeline.run().waitUntilFinish();

    assertEquals(10, broker.committedOffsets("ranges"));
  }

  @Test
  public void aPartitionThatMakesNoProgressFailsTheReadNamingIt() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>("stalled", 0, null, event(0).getBytes(UTF8))).get();
    }
    // The ranges are listed as the pipeline is built; the broker then goes away before the read.
    Pipeline stalled = Pipeline.create(pipeline.getOptions());
    stalled.apply(
        ReadEvents.fromKafka(
            config("stalled")
                .withStopAtEnd(true)
                .withClientProperties(Map.of("default.api.timeout.ms", "3000"))));
    broker.stop();
    try {
      Exception failure = assertThrows(Exception.class, () -> stalled.run().waitUntilFinish());
      assertTrue(
          failure.toString(),
          failure
              .getMessage()
              .contains("Kafka partition stalled-0 made no progress for 3000 ms at offset 0 of 1"));
    } finally {
      broker.restart();
    }
  }

  private static String event(int i) {
    return "{\"id\":\"e" + i + "\",\"event_time\":\"" + new Instant(eventMillis(i)) + "\"}";
  }

  private static long eventMillis(int i) {
    return Instant.parse("2026-01-01T00:00:00Z").getMillis() + i * 1_000L;
  }

  private static KafkaSourceConfig config(String topic) {
    return KafkaSourceConfig.of(broker.bootstrapServers(), List.of(topic), "event_time");
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, String> extra) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.putAll(extra);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void sendInATransaction(
      KafkaProducer<byte[], byte[]> producer, List<Integer> events, boolean commit)
      throws Exception {
    producer.beginTransaction();
    for (int i : events) {
      producer.send(new ProducerRecord<>("txn", 0, null, event(i).getBytes(UTF8))).get();
    }
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }

  /** Each payload with its element timestamp, so the test sees the event time the read set. */
  private static final class WithTimestamp extends DoFn<String, KV<String, Long>> {
    @ProcessElement
    public void processElement(
        @Element String payload,
        @Timestamp Instant timestamp,
        OutputReceiver<KV<String, Long>> out) {
      out.output(KV.of(payload, timestamp.getMillis()));
    }
  }
}
