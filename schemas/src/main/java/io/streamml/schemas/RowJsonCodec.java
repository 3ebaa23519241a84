package io.streamml.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.util.RowJson.RowJsonDeserializer;
import org.apache.beam.sdk.util.RowJson.RowJsonDeserializer.NullBehavior;
import org.apache.beam.sdk.util.RowJson.RowJsonSerializer;
import org.apache.beam.sdk.util.RowJsonUtils;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * JSON text to and from schema Rows, using Beam's own {@code RowJson} so that field types,
 * timestamps (ISO-8601) and nulls follow Beam's rules. Serializable: build it once, use it in a
 * DoFn; the Jackson mappers are built lazily on the worker.
 */
public final class RowJsonCodec implements Serializable {

  private final Schema schema;
  private transient @Nullable ObjectMapper reader;
  private transient @Nullable ObjectMapper writer;

  private RowJsonCodec(Schema schema) {
    this.schema = schema;
  }

  public static RowJsonCodec of(Schema schema) {
    org.apache.beam.sdk.util.RowJson.verifySchemaSupported(schema);
    return new RowJsonCodec(schema);
  }

  public Schema schema() {
    return schema;
  }

  /**
   * Parses one JSON object. Missing or null values are accepted only for nullable fields; extra
   * fields are ignored; anything after the object is refused. Throws {@link RuntimeException} with
   * a readable message otherwise.
   */
  public Row parse(String json) {
    ObjectMapper mapper = reader;
    if (mapper == null) {
      mapper =
          RowJsonUtils.newObjectMapperWith(
              RowJsonDeserializer.forSchema(schema)
                  .withNullBehavior(NullBehavior.ACCEPT_MISSING_OR_NULL));
      // NaN and Infinity are not JSON; refuse them rather than let them into features.
      mapper.disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
      // "{...}{...}" is two records glued together, not the first one: refuse it whole.
      mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
      reader = mapper;
    }
    Row row = RowJsonUtils.jsonToRow(mapper, json);
    if (row == null) {
      // Jackson reads the JSON literal null as no object at all.
      throw new IllegalArgumentException("Not a JSON object: " + json.strip());
    }
    return row;
  }

  public String toJson(Row row) {
    ObjectMapper mapper = writer;
    if (mapper == null) {
      mapper = RowJsonUtils.newObjectMapperWith(RowJsonSerializer.forSchema(schema));
      writer = mapper;
    }
    return RowJsonUtils.rowToJson(mapper, row);
  }
}
