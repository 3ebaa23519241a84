package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.ingest.ArchiveRaw;
import io.streamml.transforms.ingest.ReadEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Reads a raw-event archive back, with ParquetIO and with a plain Parquet reader. */
final class ArchiveFiles {

  private static final DateTimeFormatter PARTITION =
      DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd/'hour='HH").withZone(ZoneOffset.UTC);

  private ArchiveFiles() {}

  /** The archived events as the demo writes them (JSON lines), read by ParquetIO on Direct. */
  static List<String> eventsAsJson(Path archive, String useCase) throws IOException {
    Path out = Files.createTempDirectory("archived-events");
    Pipeline pipeline =
        Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    pipeline
        .apply(
            "ReadArchive",
            ReadEvents.fromArchive(
                ArchiveRaw.filePattern(archive.toString()),
                UseCaseSpecs.builtIn(useCase).eventSchema()))
        .apply("WriteJson", TextIO.write().to(out.resolve("part").toString()).withSuffix(".jsonl"));
    pipeline.run().waitUntilFinish();
    return DemoOutput.sortedLines(out);
  }

  /** Every record of every file under {@code archive} has its time in the file's partition. */
  static void assertEveryRecordInItsPartition(Path archive, String timeField) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(archive)) {
      files =
          walk.filter(f -> f.toString().endsWith(".parquet"))
              .filter(f -> !f.toString().contains(".temp"))
              .collect(Collectors.toList());
    }
    assertTrue(!files.isEmpty(), "no Parquet files under " + archive);
    for (Path file : files) {
      String partition = archive.relativize(file.getParent()).toString();
      List<Long> times = new ArrayList<>();
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
              .build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          times.add((Long) r.get(timeField));
        }
      }
      for (long time : times) {
        assertEquals(partition, PARTITION.format(Instant.ofEpochMilli(time)), file.toString());
      }
    }
  }
}
