package io.streamml.transforms.io;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * Writes schema Rows as Parquet files ({@code <prefix>-*.parquet} in a folder, any Beam filesystem)
 * with the Avro form of their Beam schema, nested rows and arrays included, so Spark, pandas or
 * DuckDB read them as they are. Unbounded input is written per fixed window of event time (default
 * one minute), one file per window and shard.
 */
public final class WriteParquet extends PTransform<PCollection<Row>, WriteFilesResult<Void>> {

  private final String directory;
  private final String prefix;
  private final Duration windowSize;
  private final int numShards;

  private WriteParquet(String directory, String prefix, Duration windowSize, int numShards) {
    this.directory = directory;
    this.prefix = prefix;
    this.windowSize = windowSize;
    this.numShards = numShards;
  }

  /** Files named {@code <directory>/<prefix>-SSSSS-of-NNNNN.parquet}. */
  public static WriteParquet to(String directory, String prefix) {
    checkArgument(directory != null && !directory.isBlank(), "directory is blank");
    checkArgument(prefix != null && !prefix.isBlank(), "prefix is blank");
    return new WriteParquet(directory, prefix, Duration.standardMinutes(1), 0);
  }

  /** A fixed number of files (per window); 0 lets the runner choose for bounded input. */
  public WriteParquet withNumShards(int numShards) {
    checkArgument(numShards >= 0, "numShards must be >= 0: %s", numShards);
    return new WriteParquet(directory, prefix, windowSize, numShards);
  }

  @Override
  public WriteFilesResult<Void> expand(PCollection<Row> rows) {
    org.apache.avro.Schema avro = AvroUtils.toAvroSchema(rows.getSchema());
    SerializableFunction<Row, GenericRecord> toRecord =
        AvroUtils.getRowToGenericRecordFunction(avro);
    FileIO.Write<Void, GenericRecord> write =
        FileIO.<GenericRecord>write()
            .via(ParquetIO.sink(avro))
            .to(directory)
            .withPrefix(prefix)
            .withSuffix(".parquet");
    PCollection<Row> input = rows;
    if (rows.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      input = rows.apply("WindowForFiles", Window.into(FixedWindows.of(windowSize)));
      write = write.withNumShards(Math.max(1, numShards));
    } else if (numShards > 0) {
      write = write.withNumShards(numShards);
    }
    return input
        .apply(
            "ToAvroRecords",
            MapElements.into(TypeDescriptor.of(GenericRecord.class)).via(toRecord::apply))
        .setCoder(AvroCoder.of(GenericRecord.class, avro))
        .apply("WriteParquet", write);
  }
}
