package io.streamml.pipelines.report;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.streamml.pipelines.Chromium;
import io.streamml.schemas.WindowProfile;
import io.streamml.transforms.drift.ComputeDrift;
import io.streamml.transforms.drift.DriftThresholds;
import io.streamml.transforms.drift.FeatureReference;
import io.streamml.transforms.drift.ReferenceProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The report is data, never markup: hostile names render as text in a real Chromium. */
@RunWith(JUnit4.class)
public class DriftReportTest {

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static final String HOSTILE = "<script>alert(1)</script>";

  /** A written profile row (no sketch bytes) of {@code values} on {@code ref}'s bins. */
  private static Row profile(Schema schema, FeatureReference ref, double[] values, Instant start) {
    long[] bins = new long[ref.numBins()];
    double sum = 0;
    for (double v : values) {
      bins[ref.binOf(v)]++;
      sum += v;
    }
    List<Long> counts = new ArrayList<>();
    for (long c : bins) {
      counts.add(c);
    }
    return Row.withSchema(schema)
        .withFieldValue(WindowProfile.WINDOW_START, start)
        .withFieldValue(WindowProfile.WINDOW_END, start.plus(3_600_000))
        .withFieldValue(WindowProfile.COLUMN, ref.name())
        .withFieldValue(WindowProfile.COUNT, (long) values.length)
        .withFieldValue(WindowProfile.MISSING, 0L)
        .withFieldValue(WindowProfile.MEAN, sum / values.length)
        .withFieldValue(WindowProfile.STD_DEV, 1.0)
        .withFieldValue(WindowProfile.MIN, 0.0)
        .withFieldValue(WindowProfile.MAX, (double) values.length)
        .withFieldValue(WindowProfile.BIN_COUNTS, counts)
        .build();
  }

  @Test
  public void aFeatureNamedLikeAScriptRendersAsTextAndRunsNothing() throws Exception {
    int n = 1000;
    float[] values = new float[n];
    float[] scores = new float[n];
    double[] shifted = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
      scores[i] = (float) i / n;
      shifted[i] = i + 500;
    }
    ReferenceProfile reference = ReferenceProfile.compute(List.of(HOSTILE), values, scores, 10);
    Schema.Builder written = Schema.builder();
    WindowProfile.schema().getFields().stream()
        .filter(f -> !f.getName().equals(WindowProfile.QUANTILE_SKETCH))
        .forEach(written::addField);
    Row profile =
        profile(
            written.build(),
            reference.feature(HOSTILE),
            shifted,
            Instant.parse("2026-01-01T00:00:00Z"));
    Row metric = ComputeDrift.compare(profile, reference, DriftThresholds.defaults());
    String html =
        DriftReport.render(
            "report of " + HOSTILE,
            List.of(metric),
            List.of(profile),
            reference,
            DriftThresholds.defaults());
    Path page = FOLDER.getRoot().toPath().resolve("report.html");
    Files.writeString(page, html, StandardCharsets.UTF_8);

    String dom = Chromium.run("--dump-dom", page.toUri().toString());
    // The name is text: the serialized DOM escapes it in text nodes.
    assertTrue(dom, dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(dom, dom.contains("DRIFT"));
    // No element named script anywhere: outside attribute values (which Chromium may serialize
    // with raw angle brackets), no "<script" is left.
    String markup = dom.replaceAll("=\"[^\"]*\"", "=\"\"");
    assertFalse(dom, markup.toLowerCase().contains("<script"));
  }
}
