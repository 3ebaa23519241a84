package io.streamml.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.ModelPerformance;
import io.streamml.schemas.RetrainTrigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * Model quality from delayed labels in {@code streamml drift}: the labels are the events' own,
 * arriving 10 minutes after each event; a model trained on unshifted payments loses AUC on a stream
 * that shifts, which asks for retraining (PERFORMANCE_DROP), and keeps it on one that does not.
 */
@RunWith(JUnit4.class)
public class DriftPerformanceTest {

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static final Instant SHIFT = Instant.parse("2026-01-01T01:00:00Z");
  private static final String MIN_AUC = "--minAuc=0.9";

  private static DriftPipeline.Options shifted;
  private static DriftPipeline.Options unshifted;
  private static String printed;

  @BeforeClass
  public static void trainThenMeasureShiftedAndUnshiftedStreams() throws Exception {
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
    shifted = drift(registry, root.resolve("shifted"), "--shiftFrom=" + SHIFT);
    unshifted = drift(registry, root.resolve("unshifted"));
    assertTrue(DriftPipeline.run(shifted, out));
    System.out.println(log.toString(StandardCharsets.UTF_8));
    assertTrue(DriftPipeline.run(unshifted, out));
    printed = log.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
  }

  private static DriftPipeline.Options drift(String registry, Path output, String... more) {
    String[] args = {
      "--events=7200",
      "--seed=11",
      "--driftWindowMinutes=30",
      "--labelsFromEvents",
      "--labelDelayMinutes=10",
      MIN_AUC,
      registry,
      "--output=" + output
    };
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return PipelineOptionsFactory.fromArgs(all).withValidation().as(DriftPipeline.Options.class);
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
    List<Row> windows = performance(unshifted);
    assertEquals(printed, 4, windows.size());
    long full = windows.get(0).getInt64(ModelPerformance.LABELLED);
    long last = windows.get(3).getInt64(ModelPerformance.LABELLED);
    assertTrue(printed, last > full / 2 && last < full * 5 / 6);
  }

  @Test
  public void aShiftedStreamLosesAucAndAsksForRetraining() {
    List<Row> drops = drops(shifted);
    assertEquals(printed, 1, drops.size());
    assertTrue(
        drops.get(0).toString(),
        drops.get(0).getDateTime(RetrainTrigger.TRIGGER_TIME).isAfter(SHIFT));
  }

  @Test
  public void anUnshiftedStreamKeepsItsAucAndAsksForNothing() {
    assertEquals(printed, List.of(), drops(unshifted));
  }
}
