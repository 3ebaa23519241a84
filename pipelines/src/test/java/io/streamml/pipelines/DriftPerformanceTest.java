package io.streamml.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.schemas.ModelPerformance;
import io.streamml.schemas.RetrainTrigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
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
 * Model quality from delayed labels in {@code streamml drift}. The simulator's shift (spend up,
 * more online and abroad) moves the features but not what fraud looks like, and the model keeps its
 * AUC through it (about 0.92 to 0.99 per 30-minute window on both sides, with 6 to 24 frauds a
 * window): covariate drift, not a quality drop. A quality drop needs the labels' meaning to change
 * (concept drift), so the shifted stream's label file here marks the opposite of the simulator's
 * label from the shift on; the model's AUC in those windows falls below the minimum and asks for
 * retraining (PERFORMANCE_DROP). The same events with their own labels (arriving 10 minutes late)
 * ask for nothing.
 */
@RunWith(JUnit4.class)
public class DriftPerformanceTest {

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static final Instant SHIFT = Instant.parse("2026-01-01T01:00:00Z");

  private static DriftPipeline.Options conceptDrift;
  private static DriftPipeline.Options ownLabels;
  private static String printed;

  @BeforeClass
  public static void trainThenMeasureWithBothLabelSets() throws Exception {
    Path root = FOLDER.getRoot().toPath();
    String registry = "--registry=" + root.resolve("registry");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    TrainPipeline.run(
        PipelineOptionsFactory.fromArgs(
                "--events=4000", "--rounds=20", registry, "--output=" + root.resolve("train"))
            .withValidation()
            .as(TrainPipeline.Options.class),
        out);
    GeneratePipeline.Options generate =
        PipelineOptionsFactory.fromArgs(
                "--events=7200", "--seed=11", "--output=" + root.resolve("generated"))
            .withValidation()
            .as(GeneratePipeline.Options.class);
    GeneratePipeline.run(generate);
    String events = GeneratePipeline.eventsPrefix(generate) + "*";
    Path labels = root.resolve("labels.jsonl");
    writeConceptDriftLabels(events, labels);
    conceptDrift =
        drift(registry, root.resolve("concept"), "--input=" + events, "--labelFiles=" + labels);
    ownLabels =
        drift(
            registry,
            root.resolve("own"),
            "--input=" + events,
            "--labelsFromEvents",
            "--labelDelayMinutes=10");
    assertTrue(DriftPipeline.run(conceptDrift, out));
    assertTrue(DriftPipeline.run(ownLabels, out));
    printed = log.toString(StandardCharsets.UTF_8);
  }

  /** The events' labels, inverted from the shift on (what fraud means has changed). */
  private static void writeConceptDriftLabels(String events, Path labels) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    OutputFiles.forEachLine(
        events,
        line -> {
          try {
            JsonNode event = json.readTree(line);
            Instant time = Instant.parse(event.get("event_time").asText());
            boolean fraud = event.get("is_fraud").asBoolean();
            boolean label = time.isBefore(SHIFT) ? fraud : !fraud;
            lines.add(
                json.createObjectNode()
                    .put("event_id", event.get("transaction_id").asText())
                    .put("label", label ? 1.0 : 0.0)
                    .put("event_time", event.get("event_time").asText())
                    .toString());
          } catch (Exception e) {
            throw new IllegalStateException(line, e);
          }
        });
    Files.write(labels, lines);
  }

  private static DriftPipeline.Options drift(String registry, Path output, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("--driftWindowMinutes=30", "--minAuc=0.8", registry, "--output=" + output));
    args.addAll(List.of(more));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation()
        .as(DriftPipeline.Options.class);
  }

  private static List<Row> performance(DriftPipeline.Options options) {
    return PerformanceSummary.read(DriftPipeline.performancePrefix(options) + "*").windows();
  }

  private static List<Row> drops(DriftPipeline.Options options) {
    return RetrainTriggers.read(DriftPipeline.triggersPrefix(options) + "*").all().stream()
        .filter(t -> t.getString(RetrainTrigger.REASON).equals("PERFORMANCE_DROP"))
        .collect(Collectors.toList());
  }

  @Test
  public void labelsArriveLateSoTheLastWindowHasFewer() {
    // 7,200 events at about one a second: four 30-minute windows; labels arrive 10 minutes after
    // their event, so a third of the last window's have not arrived when the data ends.
    List<Row> windows = performance(ownLabels);
    assertEquals(printed, 4, windows.size());
    long full = windows.get(0).getInt64(ModelPerformance.LABELLED);
    long last = windows.get(3).getInt64(ModelPerformance.LABELLED);
    assertTrue(printed, last > full / 2 && last < full * 5 / 6);
  }

  @Test
  public void invertedLabelsAfterTheShiftDropTheAucAndAskForRetrainingOnce() {
    int judged = 0;
    for (Row w : performance(conceptDrift)) {
      boolean after = !w.getDateTime(ModelPerformance.WINDOW_START).isBefore(SHIFT);
      Double auc = w.getDouble(ModelPerformance.AUC_ROC);
      if (auc == null) {
        continue; // a window with one class only has no AUC (and is not judged)
      }
      judged++;
      assertTrue(w + "\n" + printed, after ? auc < 0.5 : auc > 0.8);
    }
    assertTrue(printed, judged >= 4);
    List<Row> drops = drops(conceptDrift);
    assertEquals(printed, 1, drops.size());
    assertTrue(
        drops.get(0).toString(),
        drops.get(0).getDateTime(RetrainTrigger.TRIGGER_TIME).isAfter(SHIFT));
  }

  @Test
  public void theEventsOwnLabelsKeepTheAucAndAskForNothing() {
    assertEquals(printed, List.of(), drops(ownLabels));
  }
}
