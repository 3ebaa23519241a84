package io.streamml.transforms.ingest;

import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka record values as text ({@link RawPayloads}), each record once: a record whose offset is at
 * or below the highest offset already passed on for its partition was read before, and is dropped
 * and counted ({@value #METRICS}:{@value #COUNTER}).
 *
 * <p>Why: after a restore, Beam 2.62's Flink source can read a split with two readers
 * (apache/beam#34890). A valid event read again is caught by its id ({@link DropDuplicateEvents}),
 * but a malformed record has no id, so without this step its dead letter was written again, even
 * through the exactly-once sink. A reader reads its partition in offset order and the highest
 * offset is kept in state that is checkpointed with the reader's position, so a record dropped here
 * was passed on before. One long of state per partition.
 *
 * <p>A topic deleted and created again restarts its offsets: a job resumed on it from a savepoint
 * would drop what it reads until the old offsets are passed, so each instance logs its first drop
 * per partition with the offsets.
 */
public final class DropRecordsReadAgain
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollection<String>> {

  static final String METRICS = "streamml.ingest";
  static final String COUNTER = "kafka_records_read_again";

  private DropRecordsReadAgain() {}

  public static DropRecordsReadAgain byPartitionOffset() {
    return new DropRecordsReadAgain();
  }

  @Override
  public PCollection<String> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    return records
        .apply(
            "KeyByPartition",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.strings(),
                        TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.strings())))
                .via(
                    (KafkaRecord<byte[], byte[]> r) ->
                        KV.of(
                            r.getTopic() + "-" + r.getPartition(),
                            KV.of(r.getOffset(), RawPayloads.decode(r.getKV().getValue())))))
        .setCoder(
            KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())))
        .apply("KeepOffsetsNotPassedYet", ParDo.of(new KeepNewOffsetsFn()))
        .setCoder(StringUtf8Coder.of());
  }

  private static final class KeepNewOffsetsFn extends DoFn<KV<String, KV<Long, String>>, String> {
    private static final Logger LOG = LoggerFactory.getLogger(DropRecordsReadAgain.class);

    @StateId("highestOffset")
    private final StateSpec<ValueState<Long>> highestOffset = StateSpecs.value(VarLongCoder.of());

    private final Counter readAgain = Metrics.counter(METRICS, COUNTER);
    private transient @Nullable Set<String> loggedPartitions;

    @ProcessElement
    public void process(
        @Element KV<String, KV<Long, String>> record,
        @StateId("highestOffset") ValueState<Long> highestOffset,
        OutputReceiver<String> out) {
      long offset = record.getValue().getKey();
      Long highest = highestOffset.read();
      if (highest != null && offset <= highest) {
        readAgain.inc();
        logFirstDrop(record.getKey(), offset, highest);
        return;
      }
      highestOffset.write(offset);
      out.output(record.getValue().getValue());
    }

    private void logFirstDrop(String partition, long offset, long highest) {
      if (loggedPartitions == null) {
        loggedPartitions = new HashSet<>();
      }
      if (loggedPartitions.add(partition)) {
        LOG.info(
            "Dropping records of {} read again: offset {} is at or below {}, passed on already"
                + " (counted in {}:{}; logged once per partition)",
            partition,
            offset,
            highest,
            METRICS,
            COUNTER);
      }
    }
  }
}
