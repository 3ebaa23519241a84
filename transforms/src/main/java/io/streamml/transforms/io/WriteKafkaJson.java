package io.streamml.transforms.io;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.RowJsonCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.common.serialization.StringSerializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes schema Rows to a Kafka topic as JSON values (the same JSON as {@link WriteJsonLines}),
 * keyed by a field of the row (so one entity's records stay in one partition, in order) or unkeyed.
 *
 * <p>Delivery: at-least-once by default (a retried bundle may write a record again). {@link
 * #withExactlyOnce} uses KafkaIO's transactional sink, exactly-once on runners that support it
 * (Flink with checkpointing, Dataflow); see docs/kafka.md. Works on bounded and unbounded input.
 */
public final class WriteKafkaJson extends PTransform<PCollection<Row>, PDone> {

  private final String bootstrapServers;
  private final String topic;
  private final @Nullable String keyField;
  private final @Nullable String sinkGroupId;
  private final int eosShards;
  private final TreeMap<String, String> producerProperties;

  private WriteKafkaJson(
      String bootstrapServers,
      String topic,
      @Nullable String keyField,
      @Nullable String sinkGroupId,
      int eosShards,
      Map<String, String> producerProperties) {
    this.producerProperties = new TreeMap<>(producerProperties);
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.keyField = keyField;
    this.sinkGroupId = sinkGroupId;
    this.eosShards = eosShards;
  }

  /** Unkeyed, at-least-once writes to {@code topic} on {@code bootstrapServers}. */
  public static WriteKafkaJson to(String bootstrapServers, String topic) {
    checkArgument(
        bootstrapServers != null && !bootstrapServers.isBlank(),
        "bootstrapServers must not be blank: %s",
        bootstrapServers);
    checkArgument(topic != null && !topic.isBlank(), "topic must not be blank: %s", topic);
    return new WriteKafkaJson(bootstrapServers, topic, null, null, 0, Map.of());
  }

  /** Keys each record by this field's value as text (a null value gives a null key). */
  public WriteKafkaJson withKeyField(String field) {
    checkArgument(field != null && !field.isBlank(), "keyField must not be blank: %s", field);
    return new WriteKafkaJson(
        bootstrapServers, topic, field, sinkGroupId, eosShards, producerProperties);
  }

  /**
   * Transactional writes through {@code numShards} producers whose transactions are tracked under
   * {@code sinkGroupId} (unique per pipeline and topic; keep it across restarts).
   */
  public WriteKafkaJson withExactlyOnce(int numShards, String sinkGroupId) {
    checkArgument(numShards > 0, "numShards must be above 0: %s", numShards);
    checkArgument(
        sinkGroupId != null && !sinkGroupId.isBlank(),
        "sinkGroupId must not be blank: %s",
        sinkGroupId);
    return new WriteKafkaJson(
        bootstrapServers, topic, keyField, sinkGroupId, numShards, producerProperties);
  }

  /**
   * Kafka producer settings passed through (TLS, SASL, timeouts, config providers; see {@link
   * KafkaClientProperties}); the serializers and bootstrap servers are this sink's own.
   */
  public WriteKafkaJson withProducerProperties(Map<String, String> properties) {
    KafkaClientProperties.checkNotOwned(
        properties, List.of("bootstrap.servers", "key.serializer", "value.serializer"));
    return new WriteKafkaJson(
        bootstrapServers, topic, keyField, sinkGroupId, eosShards, properties);
  }

  @Override
  public PDone expand(PCollection<Row> rows) {
    checkArgument(
        keyField == null || rows.getSchema().hasField(keyField),
        "key field '%s' is not in the rows' schema %s",
        keyField,
        rows.getSchema());
    KafkaIO.Write<String, String> write =
        KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class);
    if (!producerProperties.isEmpty()) {
      write = write.withProducerConfigUpdates(new HashMap<>(producerProperties));
    }
    if (sinkGroupId != null) {
      write = write.withEOS(eosShards, sinkGroupId);
    }
    return rows.apply(
            "FormatAsKeyedJson",
            ParDo.of(new ToKeyedJsonFn(RowJsonCodec.of(rows.getSchema()), keyField)))
        .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()))
        .apply("WriteKafka", write);
  }

  private static final class ToKeyedJsonFn extends DoFn<Row, KV<String, String>> {
    private final RowJsonCodec codec;
    private final @Nullable String keyField;

    ToKeyedJsonFn(RowJsonCodec codec, @Nullable String keyField) {
      this.codec = codec;
      this.keyField = keyField;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<String, String>> out) {
      Object key = keyField == null ? null : row.getValue(keyField);
      out.output(KV.of(key == null ? null : String.valueOf(key), codec.toJson(row)));
    }
  }
}
