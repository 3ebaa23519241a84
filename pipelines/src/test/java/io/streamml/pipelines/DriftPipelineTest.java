package io.streamml.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.pipelines.report.ReportRun;
import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.RetrainTrigger;
import io.streamml.schemas.RowJsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The drift pipeline on simulated payments whose distribution shifts one hour in, against a model
 * trained on unshifted payments: drift shows after the shift and not before; the report renders in
 * a real headless Chromium.
 */
@RunWith(JUnit4.class)
public class DriftPipelineTest {

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static final Instant SHIFT = Instant.parse("2026-01-01T01:00:00Z");
  private static final List<String> PAYMENT_FEATURES = List.of("amount", "log_amount", "is_online");

  private static DriftPipeline.Options drift;
  private static String printed;
  private static Path report;

  private static <T extends PipelineOptions> T options(Class<T> type, String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
  }

  @BeforeClass
  public static void trainThenMeasureDriftThenReport() throws Exception {
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
    drift =
        options(
            DriftPipeline.Options.class,
            "--events=7200",
            "--seed=7",
            "--shiftFrom=" + SHIFT,
            "--driftWindowMinutes=30",
            "--comparePreviousWindow",
            registry,
            "--output=" + root.resolve("drift"));
    assertTrue(DriftPipeline.run(drift, out));
    report =
        Path.of(
            ReportRun.run(
                options(ReportRun.Options.class, "--input=" + root.resolve("drift"), registry),
                out));
    printed = log.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void driftAppearsAfterTheShiftAndNotBefore() {
    DriftSummary summary =
        DriftSummary.read(
            DriftPipeline.metricsPrefix(drift) + "*", DriftSettings.DEFAULT_DATASET_DRIFT_SHARE);
    // 7,200 events at about one per second: four 30-minute windows, two on each side of the shift.
    assertEquals(4, summary.driftedShareByWindow().size());
    // The features of the payment itself shift; the trailing ones also carry the stream's warm-up
    // (no history at its start), so they are not used to judge "not before".
    for (Row m : summary.metrics()) {
      String column = m.getString(DriftMetric.COLUMN);
      if (!PAYMENT_FEATURES.contains(column)) {
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
    assertTrue(printed, printed.contains("first drift window"));
    // Categorical event fields are profiled from the events: the shift moves 30% of payments
    // online, so channel's share of one category moves by about that much.
    List<Row> channel =
        summary.metrics().stream()
            .filter(m -> m.getString(DriftMetric.COLUMN).equals("channel"))
            .toList();
    assertEquals(4, channel.size());
    for (Row m : channel) {
      boolean after = !m.getDateTime(DriftMetric.WINDOW_START).toInstant().isBefore(SHIFT);
      assertEquals(m.toString(), after ? "DRIFT" : "OK", m.getString(DriftMetric.VERDICT));
      assertTrue(m.toString(), (m.getDouble(DriftMetric.L_INFINITY) >= 0.2) == after);
    }
    // The model scored the same vectors; its score is profiled in every window too.
    assertEquals(
        4,
        summary.metrics().stream()
            .filter(m -> m.getString(DriftMetric.COLUMN).equals("score"))
            .count());
  }

  @Test
  public void againstThePreviousWindowOnlyTheWindowAfterTheShiftDrifts() {
    RowJsonCodec codec = RowJsonCodec.of(DriftMetric.schema());
    List<Row> rows = new java.util.ArrayList<>();
    OutputFiles.forEachLine(
        DriftPipeline.previousWindowPrefix(drift) + "*", line -> rows.add(codec.parse(line)));
    Instant firstAfter = null;
    for (Row m : rows) {
      Instant window = m.getDateTime(DriftMetric.WINDOW_START).toInstant();
      if (!window.isBefore(SHIFT) && (firstAfter == null || window.isBefore(firstAfter))) {
        firstAfter = window;
      }
    }
    int amounts = 0;
    for (Row m : rows) {
      if (!m.getString(DriftMetric.COLUMN).equals("amount")) {
        continue;
      }
      amounts++;
      Instant window = m.getDateTime(DriftMetric.WINDOW_START).toInstant();
      // The first window after the shift differs from the one before it; the windows on each side
      // look like their neighbour.
      String expected = window.equals(firstAfter) ? "DRIFT" : "OK";
      assertEquals(m.toString(), expected, m.getString(DriftMetric.VERDICT));
    }
    // Four windows: three have a previous one.
    assertEquals(rows.toString(), 3, amounts);
  }

  @Test
  public void theShiftAsksForRetrainingAndTrainOnTriggerActsOnIt() throws Exception {
    List<Row> triggers = RetrainTriggers.read(DriftPipeline.triggersPrefix(drift) + "*").all();
    assertTrue(printed, !triggers.isEmpty());
    Row first = triggers.get(0);
    assertTrue(first.toString(), !first.getDateTime(RetrainTrigger.TRIGGER_TIME).isBefore(SHIFT));
    assertTrue(printed, printed.contains("retrain triggers: " + triggers.size()));

    Path root = FOLDER.getRoot().toPath();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    String[] train = {
      "--events=4000",
      "--rounds=20",
      "--registry=" + drift.getRegistry(),
      "--output=" + root.resolve("retrain")
    };
    String nothingAsked =
        TrainPipeline.run(
            options(
                TrainPipeline.Options.class,
                append(train, "--onTrigger=" + root.resolve("nowhere"))),
            out);
    assertEquals(null, nothingAsked);
    String retrained =
        TrainPipeline.run(
            options(
                TrainPipeline.Options.class, append(train, "--onTrigger=" + root.resolve("drift"))),
            out);
    assertEquals(log.toString(StandardCharsets.UTF_8), "v0002", retrained);
  }

  private static String[] append(String[] args, String arg) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = arg;
    return all;
  }

  @Test
  public void reportRendersInChromiumWithEveryFeatureAndTheVerdicts() throws Exception {
    String dom = Chromium.run("--dump-dom", report.toUri().toString());
    for (String feature : DriftPipeline.referenceOf(drift.getRegistry()).featureNames()) {
      assertTrue(feature, dom.contains("<section id=\"col-" + feature + "\">"));
    }
    assertTrue(dom.contains("<section id=\"col-score\">"));
    assertTrue(dom.contains("DRIFT"));
    assertTrue(dom.contains("<svg"));
    Path png = FOLDER.getRoot().toPath().resolve("report.png");
    Chromium.run("--window-size=1200,2000", "--screenshot=" + png, report.toUri().toString());
    // A blank page compresses to a few KB; charts, tables and text do not.
    assertTrue("screenshot " + Files.size(png) + " bytes", Files.size(png) > 50_000);
  }

  @Test
  public void eachOutputTopicFlagAddsItsKafkaWrite() throws Exception {
    DriftPipeline.Options options =
        options(
            DriftPipeline.Options.class,
            "--events=10",
            "--registry=" + drift.getRegistry(),
            "--outputBootstrapServers=localhost:1",
            "--outputTopicDriftMetrics=m",
            "--outputTopicRetrainTriggers=t",
            "--outputTopicDeadLetters=d");
    Pipeline pipeline = Pipeline.create(options);
    DriftPipeline.buildPipeline(pipeline, options, DriftPipeline.referenceOf(drift.getRegistry()));
    assertEquals(
        Set.of(
            "WriteDriftMetricsToKafka", "WriteRetrainTriggersToKafka", "WriteDeadLettersToKafka"),
        StepNames.endingWith(pipeline, "ToKafka"));
  }
}
