package io.streamml.transforms.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.schemas.features.FeatureSetSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The Parquet training set is read back by ParquetIO with the same rows, nulls included. */
public class WriteTrainingSetParquetTest {

  private static final FeatureSetSpec FEATURES =
      UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD).features();
  private static final Schema VECTOR = FeatureVector.schema(FEATURES);

  @Rule public final transient TestPipeline writePipeline = TestPipeline.create();
  @Rule public final transient TestPipeline readPipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  private static List<Row> vectors() {
    Schema featureSchema = VECTOR.getField(FeatureVector.FEATURES).getType().getRowSchema();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      List<Object> values = new ArrayList<>();
      for (int j = 0; j < featureSchema.getFieldCount(); j++) {
        values.add(j == 2 && i % 3 == 0 ? null : i * 10.0 + j);
      }
      rows.add(
          Row.withSchema(VECTOR)
              .addValues(
                  "card-" + (i % 4),
                  i % 2 == 0 ? "tx-" + i : null,
                  new Instant(1_700_000_000_000L + i * 1000L),
                  i % 5 == 0 ? null : (double) (i % 2),
                  Row.withSchema(featureSchema).addValues(values).build())
              .build());
    }
    return rows;
  }

  @Test
  public void parquetIoReadsBackTheSameRows() throws Exception {
    String dir = folder.getRoot().getPath();
    writePipeline
        .apply("CreateVectors", Create.of(vectors()).withRowSchema(VECTOR))
        .apply("WriteTrainingSet", WriteTrainingSetParquet.to(dir).withNumShards(2));
    writePipeline.run().waitUntilFinish();

    Schema flat = WriteTrainingSetParquet.flatSchema(VECTOR);
    SerializableFunction<GenericRecord, Row> toRow = AvroUtils.getGenericRecordToRowFunction(flat);
    PCollection<String> read =
        readPipeline
            .apply(
                "ReadParquet",
                ParquetIO.read(AvroUtils.toAvroSchema(flat)).from(dir + "/vectors-*.parquet"))
            .apply(
                "FormatRows",
                MapElements.into(TypeDescriptors.strings()).via(r -> toRow.apply(r).toString()));
    List<String> expected = new ArrayList<>();
    for (Row vector : vectors()) {
      expected.add(WriteTrainingSetParquet.flatten(vector, flat).toString());
    }
    PAssert.that(read).containsInAnyOrder(expected);
    readPipeline.run().waitUntilFinish();
  }

  @Test
  public void flatSchemaHasTheVectorColumnsThenOneColumnPerFeature() {
    Schema flat = WriteTrainingSetParquet.flatSchema(VECTOR);
    assertEquals(4 + FEATURES.names().size(), flat.getFieldCount());
    assertEquals(FeatureVector.KEY, flat.getField(0).getName());
    assertEquals(FEATURES.names().get(0), flat.getField(4).getName());
  }

  @Test
  public void featureNamedLikeAColumnIsRefused() {
    Schema clash =
        Schema.builder()
            .addStringField(FeatureVector.KEY)
            .addRowField(
                FeatureVector.FEATURES, Schema.builder().addNullableDoubleField("key").build())
            .build();
    assertThrows(IllegalArgumentException.class, () -> WriteTrainingSetParquet.flatSchema(clash));
  }
}
