package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;

import io.streamml.transforms.testing.NeedsWatermarkBeforeNextElement;
import io.streamml.transforms.testing.PipelineCounters;
import io.streamml.transforms.testing.RunnerCapabilities;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecordCoder;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesStatefulParDo;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class DropRecordsReadAgainTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static TimestampedValue<KafkaRecord<byte[], byte[]>> record(
      int partition, long offset, byte[] value) {
    return TimestampedValue.of(
        new KafkaRecord<>(
            "events",
            partition,
            offset,
            T0.getMillis() + offset,
            KafkaTimestampType.CREATE_TIME,
            null,
            KV.of(null, value)),
        T0.plus(offset));
  }

  private static TimestampedValue<KafkaRecord<byte[], byte[]>> record(
      int partition, long offset, String value) {
    return record(partition, offset, value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  // Read in order, as a Kafka reader reads a partition: the keyed step must see them in order.
  @Category({UsesTestStream.class, UsesStatefulParDo.class, NeedsWatermarkBeforeNextElement.class})
  public void aRecordReadAgainIsDroppedAndCountedAndARepeatedPayloadAtANewOffsetIsKept() {
    byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe};
    TestStream<KafkaRecord<byte[], byte[]>> stream =
        TestStream.create(
                KafkaRecordCoder.of(NullableCoder.of(ByteArrayCoder.of()), ByteArrayCoder.of()))
            .addElements(record(0, 0, "{malformed"))
            .advanceWatermarkTo(T0.plus(1))
            .addElements(record(0, 1, "b"))
            .advanceWatermarkTo(T0.plus(2))
            .addElements(record(1, 0, notUtf8))
            .advanceWatermarkTo(T0.plus(3))
            // A second reader starts over from offset 0 of partition 0 (apache/beam#34890).
            .addElements(record(0, 0, "{malformed"))
            .advanceWatermarkTo(T0.plus(4))
            .addElements(record(0, 1, "b"))
            .advanceWatermarkTo(T0.plus(5))
            .addElements(record(1, 0, notUtf8))
            .advanceWatermarkTo(T0.plus(6))
            // The producer sent the same malformed payload again: a new record, kept.
            .addElements(record(0, 2, "{malformed"))
            .advanceWatermarkToInfinity();

    PCollection<String> payloads =
        pipeline.apply(stream).apply(DropRecordsReadAgain.byPartitionOffset());

    PAssert.that(payloads)
        .containsInAnyOrder("{malformed", "b", RawPayloads.decode(notUtf8), "{malformed");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long readAgain =
        PipelineCounters.sum(result, DropRecordsReadAgain.METRICS, DropRecordsReadAgain.COUNTER);
    assertEquals(3, readAgain);
  }
}
