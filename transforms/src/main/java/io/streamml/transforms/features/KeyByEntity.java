package io.streamml.transforms.features;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Events keyed by their entity (the spec's key field), with a deterministic coder. */
final class KeyByEntity extends PTransform<PCollection<Row>, PCollection<KV<String, Row>>> {

  private final String keyField;

  KeyByEntity(String keyField) {
    this.keyField = keyField;
  }

  @Override
  public PCollection<KV<String, Row>> expand(PCollection<Row> events) {
    String field = keyField;
    return events
        .apply(
            "ExtractKey",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.rows()))
                .via((Row event) -> KV.of(event.getString(field), event)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SchemaCoder.of(events.getSchema())));
  }
}
