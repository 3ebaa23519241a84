package io.streamml.transforms.model;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.FeatureVector;
import io.streamml.transforms.io.WriteParquet;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes feature vectors as Parquet files a user can open in any Parquet tool (or read back with
 * Beam's {@code ParquetIO}): one flat column per field, {@code key, event_id, feature_time (Avro
 * timestamp-millis), label}, then one nullable double column per feature, named as the feature.
 *
 * <p>For bounded input (a training set). Unbounded input must be windowed first and given a number
 * of shards, as for any {@code FileIO.write}. Files are {@code
 * <directory>/<prefix>-SSSSS-of-NNNNN.parquet}.
 */
public final class WriteTrainingSetParquet
    extends PTransform<PCollection<Row>, WriteFilesResult<Void>> {

  private final String directory;
  private final String prefix;
  private final int numShards;

  private WriteTrainingSetParquet(String directory, String prefix, int numShards) {
    this.directory = directory;
    this.prefix = prefix;
    this.numShards = numShards;
  }

  /** Files {@code <directory>/vectors-*.parquet}, as many as the runner chooses. */
  public static WriteTrainingSetParquet to(String directory) {
    return new WriteTrainingSetParquet(directory, "vectors", 0);
  }

  public WriteTrainingSetParquet withPrefix(String prefix) {
    checkArgument(
        !prefix.isEmpty() && !prefix.contains("/"), "prefix must be a file name: %s", prefix);
    return new WriteTrainingSetParquet(directory, prefix, numShards);
  }

  /** A fixed number of files; 0 lets the runner choose. */
  public WriteTrainingSetParquet withNumShards(int numShards) {
    checkArgument(numShards >= 0, "numShards must be >= 0: %s", numShards);
    return new WriteTrainingSetParquet(directory, prefix, numShards);
  }

  /**
   * The flat schema of feature vectors of {@code vectorSchema}: the top-level fields but {@code
   * features}, then the features' own fields.
   */
  public static Schema flatSchema(Schema vectorSchema) {
    Schema.Builder builder = Schema.builder();
    for (Schema.Field field : vectorSchema.getFields()) {
      if (!field.getName().equals(FeatureVector.FEATURES)) {
        builder.addField(field);
      }
    }
    Schema features = vectorSchema.getField(FeatureVector.FEATURES).getType().getRowSchema();
    for (Schema.Field feature : features.getFields()) {
      checkArgument(
          !vectorSchema.hasField(feature.getName()),
          "Feature '%s' has the name of a feature-vector column; rename it to write Parquet",
          feature.getName());
      builder.addField(feature);
    }
    return builder.build();
  }

  /** {@code vector} as a row of {@link #flatSchema}. */
  public static Row flatten(Row vector, Schema flatSchema) {
    Row.Builder row = Row.withSchema(flatSchema);
    for (Schema.Field field : vector.getSchema().getFields()) {
      if (!field.getName().equals(FeatureVector.FEATURES)) {
        row.addValue(vector.getValue(field.getName()));
      }
    }
    row.addValues(vector.getRow(FeatureVector.FEATURES).getValues());
    return row.build();
  }

  @Override
  public WriteFilesResult<Void> expand(PCollection<Row> vectors) {
    Schema flat = flatSchema(vectors.getSchema());
    return vectors
        .apply(
            "FlattenVectors",
            MapElements.into(TypeDescriptors.rows()).via((Row vector) -> flatten(vector, flat)))
        .setRowSchema(flat)
        .apply("WriteParquet", WriteParquet.to(directory, prefix).withNumShards(numShards));
  }
}
