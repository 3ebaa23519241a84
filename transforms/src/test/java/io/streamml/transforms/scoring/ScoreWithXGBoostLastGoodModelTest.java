package io.streamml.transforms.scoring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.Score;
import io.streamml.transforms.model.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PeriodicImpulse;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The last good model on a real unbounded stream (a PeriodicImpulse ticking every 20 ms, the
 * registry polled every 200 ms) on the Direct runner: scoring starts on v0001; once scores flow,
 * LATEST is pointed at a version that does not exist, then at a tampered bundle (v0003, whose
 * model.json no longer matches its manifest), each for {@link #PHASE_TICKS} rows of stream time
 * (about four polls); then v0002, a good version, is promoted. Every row is scored, by v0001 until
 * v0002 takes over, none is dead-lettered, and the bad polls are counted. Phases move on the
 * stream's own clock (the tick a scored row was made at), not on sleeps; the run is cancelled once
 * v0002 scores.
 */
@RunWith(JUnit4.class)
public class ScoreWithXGBoostLastGoodModelTest {

  // Two minutes of stream at most; the run ends as soon as v0002 scores (seconds, normally).
  private static final int ROWS = 6000;
  private static final long TICK_MILLIS = 20;
  // 0.8 s of stream, about four polls: few rows, so a loaded machine still gets through the phases.
  private static final int PHASE_TICKS = 40;

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static final Queue<Row> SCORES = new ConcurrentLinkedQueue<>();
  private static final Queue<Row> DEAD_LETTERS = new ConcurrentLinkedQueue<>();
  private static final CountDownLatch GOOD_VERSION_SEEN = new CountDownLatch(1);

  @AfterClass
  public static void free() {
    ModelCache.clear();
  }

  @Test
  public void aMissingOrTamperedLatestNeverReplacesTheModelInUse() throws Exception {
    String root = FOLDER.newFolder("registry").toString();
    Booster first = ScoringFixtures.train(20, false);
    Booster second = ScoringFixtures.train(20, true);
    List<Row> vectors = ScoringFixtures.vectors(ROWS, 3);
    Map<String, float[]> expected = new HashMap<>();
    expected.put("v0001", ScoringFixtures.reference(first, vectors));
    expected.put("v0002", ScoringFixtures.reference(second, vectors));
    ScoringFixtures.register(root, first, 0.5);
    ScoringFixtures.register(root, second, 0.5);
    ScoringFixtures.register(root, second, 0.5);
    Files.writeString(Paths.get(root, "v0003", "model.json"), "{\"tampered\": true}");
    ModelRegistry.at(root).promote("v0001");
    first.dispose();
    second.dispose();

    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(false);
    Pipeline pipeline = Pipeline.create(options);
    Instant start = Instant.now();
    Instant end = start.plus(Duration.millis(TICK_MILLIS * ROWS));
    WithFailures.Result<PCollection<Row>, Row> scored =
        pipeline
            .apply(
                "Tick",
                PeriodicImpulse.create()
                    .startAt(start)
                    .stopAt(end)
                    .withInterval(Duration.millis(TICK_MILLIS)))
            .apply(
                "MakeVectors",
                ParDo.of(new ScoringFixtures.TickToVectorFn(start, TICK_MILLIS, ROWS)))
            .setRowSchema(ScoringFixtures.VECTOR_SCHEMA)
            .apply(
                "Score",
                ScoreWithXGBoost.fromRegistry(root)
                    .withPollInterval(Duration.millis(200))
                    .withPollingUntil(end));
    scored.output().apply("BreakLatestWhileScoresFlow", ParDo.of(new BreakLatestFn(root)));
    scored.failures().apply("CollectDeadLetters", ParDo.of(new CollectFn()));

    PipelineResult result = pipeline.run();
    boolean seen = GOOD_VERSION_SEEN.await(2, TimeUnit.MINUTES);
    result.cancel();
    assertTrue(
        "the good version promoted last was never used; phase "
            + BreakLatestFn.phase
            + " from row "
            + BreakLatestFn.phaseStart
            + ", scores by version "
            + SCORES.stream()
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        r -> r.getString(Score.MODEL_VERSION),
                        java.util.stream.Collectors.counting()))
            + ", LATEST "
            + Files.readString(Paths.get(root, "LATEST")).trim(),
        seen);

    for (Row score : SCORES) {
      int i = Integer.parseInt(score.getString(Score.EVENT_ID).substring(1));
      String version = score.getString(Score.MODEL_VERSION);
      assertTrue("row " + i + " by " + version, expected.containsKey(version));
      assertEquals(
          "row " + i + " by " + version,
          expected.get(version)[i],
          score.getDouble(Score.SCORE),
          1e-6);
    }
    assertEquals(
        "dead letters: " + DEAD_LETTERS.stream().map(r -> r.getString(DeadLetter.ERROR)).toList(),
        0,
        DEAD_LETTERS.size());
    // About ten bad polls per phase; poller bundles end at once, so their counts are reported.
    assertTrue(ScoringFixtures.counter(result, ScoreWithXGBoost.REGISTRY_POLL_FAILURES) >= 2);
  }

  /**
   * Collects scores and moves LATEST on: at the first score to a missing v0007, {@link
   * #PHASE_TICKS} rows later to the tampered v0003, as many rows later to the good v0002.
   */
  private static final class BreakLatestFn extends DoFn<Row, Void> {
    private static int phase;
    private static int phaseStart;
    private final String root;

    BreakLatestFn(String root) {
      this.root = root;
    }

    @ProcessElement
    public void process(@Element Row score) throws Exception {
      SCORES.add(score);
      if ("v0002".equals(score.getString(Score.MODEL_VERSION))) {
        GOOD_VERSION_SEEN.countDown();
        return;
      }
      int i = Integer.parseInt(score.getString(Score.EVENT_ID).substring(1));
      synchronized (BreakLatestFn.class) {
        if (phase == 0) {
          writeLatest("v0007");
        } else if (phase < 3 && i >= phaseStart + PHASE_TICKS) {
          if (phase == 1) {
            writeLatest("v0003");
          } else {
            ModelRegistry.at(root).promote("v0002");
          }
        } else {
          return;
        }
        phase++;
        phaseStart = i;
      }
    }

    /** Written directly: {@code promote} would refuse both bad versions. */
    private void writeLatest(String version) throws Exception {
      Files.writeString(Paths.get(root, "LATEST"), version + "\n");
    }
  }

  private static final class CollectFn extends DoFn<Row, Void> {
    @ProcessElement
    public void process(@Element Row deadLetter) {
      DEAD_LETTERS.add(deadLetter);
    }
  }
}
