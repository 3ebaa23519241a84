package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.EnrichmentSpec;
import io.streamml.schemas.FieldSpec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.testing.RunnerCapabilities;
import io.streamml.transforms.testing.RunsOnDirectRunnerOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The reference table of a live stream is re-read while the pipeline runs: an edited file reaches
 * later events without a restart, and no event meets an empty table while it reloads.
 */
@RunWith(JUnit4.class)
@Category(RunsOnDirectRunnerOnly.class)
public class EnrichEventsLiveRefreshTest {

  private static final UseCaseSpec SPEC =
      UseCaseSpec.builder("payments")
          .idField("id")
          .keyField("card")
          .eventTimeField("time")
          .field(FieldSpec.of("id", FieldSpec.Type.STRING))
          .field(FieldSpec.of("card", FieldSpec.Type.STRING))
          .field(FieldSpec.of("merchant", FieldSpec.Type.STRING))
          .field(FieldSpec.of("time", FieldSpec.Type.TIMESTAMP))
          .enrichment(
              new EnrichmentSpec(
                  "merchant_risk",
                  "merchant",
                  "merchant_id",
                  List.of(FieldSpec.of("segment", FieldSpec.Type.STRING)),
                  Map.of("segment", "unmatched"),
                  null,
                  1L))
          .build();

  // The DoFn runs in this JVM on the Direct runner; latches let the test follow the live stream.
  private static final CountDownLatch OLD_TABLE_SEEN = new CountDownLatch(1);
  private static final CountDownLatch NEW_TABLE_SEEN = new CountDownLatch(1);
  private static final AtomicLong UNMATCHED = new AtomicLong();

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void anEditedReferenceFileReachesLaterEventsWithoutARestart() throws Exception {
    Path table = folder.getRoot().toPath().resolve("merchants.jsonl");
    writeAtomically(table, "{\"merchant_id\": \"m-1\", \"segment\": \"before-edit\"}\n");

    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(false);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply("TickEvents", GenerateSequence.from(0).withRate(20, Duration.standardSeconds(1)))
        .apply(
            "ToEvents",
            MapElements.into(TypeDescriptors.rows())
                .via(
                    i ->
                        Row.withSchema(SPEC.eventSchema())
                            .addValues("e" + i, "c1", "m-1", Instant.now())
                            .build()))
        .setRowSchema(SPEC.eventSchema())
        .apply(EnrichEvents.of(SPEC).withReferencePath("merchant_risk", table.toString()))
        .apply("WatchSegments", ParDo.of(new WatchSegmentsFn()));

    PipelineResult result = pipeline.run();
    try {
      assertTrue("no event enriched from the first table", OLD_TABLE_SEEN.await(60, SECONDS));
      writeAtomically(table, "{\"merchant_id\": \"m-1\", \"segment\": \"after-edit\"}\n");
      assertTrue("the edited table never reached an event", NEW_TABLE_SEEN.await(60, SECONDS));
    } finally {
      result.cancel();
    }
    assertEquals("events that met no table while it reloaded", 0, UNMATCHED.get());
  }

  private static final TimeUnit SECONDS = TimeUnit.SECONDS;

  /** Like an operator's deploy: the new table replaces the old in one rename. */
  private static void writeAtomically(Path file, String content) throws Exception {
    Path temp = Files.createTempFile(file.getParent(), "merchants", ".tmp");
    Files.writeString(temp, content);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static final class WatchSegmentsFn extends DoFn<Row, Void> {
    @ProcessElement
    public void process(@Element Row event) {
      String segment = event.getString("segment");
      if ("before-edit".equals(segment)) {
        OLD_TABLE_SEEN.countDown();
      } else if ("after-edit".equals(segment)) {
        NEW_TABLE_SEEN.countDown();
      } else {
        UNMATCHED.incrementAndGet();
      }
    }
  }
}
