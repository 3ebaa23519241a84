package io.streamml.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.DriftMetric;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The drift pipeline on simulated payments whose distribution shifts one hour in, against a model
 * trained on unshifted payments: drift shows after the shift and not before.
 */
@RunWith(JUnit4.class)
public class DriftPipelineTest {

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static final Instant SHIFT = Instant.parse("2026-01-01T01:00:00Z");

  private static <T extends org.apache.beam.sdk.options.PipelineOptions> T options(
      Class<T> type, String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
  }

  @Test
  public void driftAppearsAfterTheShiftAndNotBefore() throws Exception {
    Path root = FOLDER.getRoot().toPath();
    String registry = "--registry=" + root.resolve("registry");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    TrainPipeline.run(
        options(
            TrainPipeline.Options.class,
            "--events=4000",
            "--rounds=20",
            registry,
            "--output=" + root.resolve("train")),
        out);

    DriftPipeline.Options drift =
        options(
            DriftPipeline.Options.class,
            "--events=7200",
            "--seed=7",
            "--shiftFrom=" + SHIFT,
            "--driftWindowMinutes=30",
            registry,
            "--output=" + root.resolve("drift"));
    assertTrue(DriftPipeline.run(drift, out));

    DriftSummary summary = DriftSummary.read(DriftPipeline.metricsPrefix(drift) + "*");
    // 7,200 events at about one per second: four 30-minute windows, two on each side of the shift.
    assertEquals(4, summary.driftedShareByWindow().size());
    // The features of the payment itself shift; the trailing ones also carry the stream's warm-up
    // (no history at its start), so they are not used to judge "not before".
    for (String column : List.of("amount", "log_amount", "is_online")) {
      for (Row m : summary.metrics()) {
        if (!m.getString(DriftMetric.COLUMN).equals(column)) {
          continue;
        }
        Instant window = m.getDateTime(DriftMetric.WINDOW_START).toInstant();
        String verdict = m.getString(DriftMetric.VERDICT);
        String where = column + " in the window from " + window + ": " + m;
        if (window.isBefore(SHIFT)) {
          assertEquals(where, "OK", verdict);
        } else {
          assertEquals(where, "DRIFT", verdict);
          assertTrue(where, m.getDouble(DriftMetric.PSI) >= 0.1);
        }
      }
    }
    String printed = log.toString(StandardCharsets.UTF_8);
    assertTrue(printed, printed.contains("first drift window"));
  }
}
