package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;

import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class ArchiveRawTest {

  private static final UseCaseSpec FRAUD = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);
  private static final List<String> EVENTS =
      List.of(
          ParseEventsTest.transaction("tx-1", "12.5", "2026-01-01T00:00:05Z"),
          ParseEventsTest.transaction("tx-2", "3.0", "2026-01-01T00:59:59.999Z"),
          ParseEventsTest.transaction("tx-3", "7.25", "2026-01-01T01:00:00Z"),
          ParseEventsTest.transaction("tx-4", "1.0", "2026-01-02T23:30:00Z"));

  @Rule public final transient TestPipeline write = TestPipeline.create();
  @Rule public final transient TestPipeline read = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void eventsLandInTheirHourPartitionsAndReadBackUnchanged() throws IOException {
    Path archive = folder.getRoot().toPath().resolve("archive");
    RowJsonCodec codec = RowJsonCodec.of(FRAUD.eventSchema());
    List<Row> rows = EVENTS.stream().map(codec::parse).collect(Collectors.toList());
    write
        .apply(Create.of(rows).withRowSchema(FRAUD.eventSchema()))
        // As ParseEvents does: each event at its event time.
        .apply(WithTimestamps.of((Row r) -> r.getDateTime(FRAUD.eventTimeField()).toInstant()))
        .apply(ArchiveRaw.to(archive.toString(), FRAUD.eventTimeField()));
    write.run().waitUntilFinish();

    assertEquals(
        List.of("dt=2026-01-01/hour=00", "dt=2026-01-01/hour=01", "dt=2026-01-02/hour=23"),
        partitions(archive));
    assertEquals(
        "part-20260101T000000Z-20260101T010000Z-0-00000-of-00001.parquet",
        fileNames(archive.resolve("dt=2026-01-01/hour=00")).get(0));
    PCollection<String> back =
        read.apply(
            ReadEvents.fromArchive(
                ArchiveRaw.filePattern(archive.toString()), FRAUD.eventSchema()));
    // The same events, as the JSON the parser writes for them.
    PAssert.that(back)
        .containsInAnyOrder(rows.stream().map(codec::toJson).collect(Collectors.toList()));
    read.run();
  }

  @Test
  public void filePatternNarrowsToADayOrAnHour() {
    assertEquals("a/dt=*/hour=*/*.parquet", ArchiveRaw.filePattern("a/"));
    assertEquals("a/dt=2026-01-01/hour=*/*.parquet", ArchiveRaw.filePattern("a/dt=2026-01-01"));
    assertEquals(
        "a/dt=2026-01-01/hour=03/*.parquet", ArchiveRaw.filePattern("a/dt=2026-01-01/hour=03"));
  }

  private static List<String> fileNames(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".parquet"))
          .collect(Collectors.toList());
    }
  }

  /** The dt/hour folders holding Parquet files, sorted. */
  private static List<String> partitions(Path archive) throws IOException {
    try (Stream<Path> files = Files.walk(archive)) {
      return files
          .filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains(".temp"))
          .map(f -> archive.relativize(f.getParent()).toString())
          .distinct()
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
