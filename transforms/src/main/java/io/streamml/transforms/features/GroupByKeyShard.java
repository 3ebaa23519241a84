package io.streamml.transforms.features;

import io.streamml.transforms.batch.BatchShards;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Bounded input's keyed events grouped by a shard of their key ({@link BatchShards#HISTORIES}), in
 * the global window, for featurising whole histories at once; {@link #byKey} regroups a shard's
 * events per key in memory.
 */
final class GroupByKeyShard
    extends PTransform<
        PCollection<KV<String, Row>>, PCollection<KV<Integer, Iterable<KV<String, Row>>>>> {

  private final Schema eventSchema;

  GroupByKeyShard(Schema eventSchema) {
    this.eventSchema = eventSchema;
  }

  @Override
  public PCollection<KV<Integer, Iterable<KV<String, Row>>>> expand(
      PCollection<KV<String, Row>> keyed) {
    int shards = BatchShards.HISTORIES;
    return keyed
        .apply("IntoOneWindow", Window.into(new GlobalWindows()))
        .apply(
            "ShardKeys",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.integers(), new TypeDescriptor<KV<String, Row>>() {}))
                .via((KV<String, Row> kv) -> KV.of(BatchShards.of(kv.getKey(), shards), kv)))
        .setCoder(
            KvCoder.of(
                VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), SchemaCoder.of(eventSchema))))
        .apply("GroupEventsByShard", GroupByKey.create());
  }

  /** A shard's events per key, each key's in arrival order. */
  static Map<String, List<Row>> byKey(Iterable<KV<String, Row>> shard) {
    Map<String, List<Row>> byKey = new HashMap<>();
    for (KV<String, Row> event : shard) {
      byKey.computeIfAbsent(event.getKey(), k -> new ArrayList<>()).add(event.getValue());
    }
    return byKey;
  }
}
