package io.streamml.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.model.WriteTrainingSetParquet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Reads what {@code train} wrote under {@code training-set/}, for tests. */
public final class TrainingSetFiles {

  private TrainingSetFiles() {}

  /** Lines in the JSON-lines {@code part-*} files. */
  public static long jsonRows(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("part"))
          .mapToLong(TrainingSetFiles::lineCount)
          .sum();
    }
  }

  /**
   * Rows in the {@code *.parquet} files, read with parquet-avro directly (not through streamml),
   * each converted to the flat feature-vector schema to check its columns.
   */
  public static long parquetRows(Path folder, UseCaseSpec spec) throws IOException {
    Schema flat = WriteTrainingSetParquet.flatSchema(FeatureVector.schema(spec));
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(f -> f.toString().endsWith(".parquet")).toList();
    }
    assertFalse(files.isEmpty(), "no Parquet files in " + folder);
    long rows = 0;
    for (Path file : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
              .build()) {
        for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
          assertEquals(flat, AvroUtils.toBeamRowStrict(record, flat).getSchema());
          rows++;
        }
      }
    }
    return rows;
  }

  private static long lineCount(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
