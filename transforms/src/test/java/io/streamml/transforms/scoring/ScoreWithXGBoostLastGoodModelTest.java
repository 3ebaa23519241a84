package io.streamml.transforms.scoring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
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
 * model.json no longer matches its manifest), each until the pipeline has counted {@link
 * #BAD_POLLS_PER_PHASE} failed polls of it; then v0002, a good version, is promoted. Every row is
 * scored, by v0001 until v0002 takes over, none is dead-lettered. The phases move on the pipeline's
 * own reports (its first score, its poll-failure counter), not on sleeps or on the machine's speed,
 * and the run is cancelled once v0002 scores.
 */
@RunWith(JUnit4.class)
public class ScoreWithXGBoostLastGoodModelTest {

  // Two minutes of stream at most; the run ends as soon as v0002 scores (seconds, normally).
  private static final int ROWS = 6000;
  private static final long TICK_MILLIS = 20;
  private static final int BAD_POLLS_PER_PHASE = 2;
  private static final java.time.Duration PHASE_DEADLINE = java.time.Duration.ofSeconds(60);

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static final Queue<Row> SCORES = new ConcurrentLinkedQueue<>();
  private static final Queue<Row> DEAD_LETTERS = new ConcurrentLinkedQueue<>();
  private static final AtomicBoolean GOOD_VERSION_SEEN = new AtomicBoolean();

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
    scored.output().apply("CollectScores", ParDo.of(new CollectScoresFn()));
    scored.failures().apply("CollectDeadLetters", ParDo.of(new CollectDeadLettersFn()));

    PipelineResult result = pipeline.run();
    int scoredWhileBroken;
    try {
      awaitOrFail(result, "a first score", () -> !SCORES.isEmpty());
      int scoredBeforeBreaking = SCORES.size();
      writeLatest(root, "v0007");
      awaitBadPolls(result, "LATEST named the missing v0007");
      writeLatest(root, "v0003");
      awaitBadPolls(result, "LATEST named the tampered v0003");
      scoredWhileBroken = SCORES.size() - scoredBeforeBreaking;
      ModelRegistry.at(root).promote("v0002");
      awaitOrFail(result, "a score by v0002, promoted last", GOOD_VERSION_SEEN::get);
    } finally {
      result.cancel();
    }

    assertTrue("no row was scored while LATEST was broken", scoredWhileBroken > 0);
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
  }

  /** Waits until the pipeline has counted {@link #BAD_POLLS_PER_PHASE} more failed polls. */
  private static void awaitBadPolls(PipelineResult result, String phase) throws Exception {
    long target = failedPolls(result) + BAD_POLLS_PER_PHASE;
    awaitOrFail(
        result,
        BAD_POLLS_PER_PHASE + " failed registry polls while " + phase,
        () -> failedPolls(result) >= target);
  }

  private static long failedPolls(PipelineResult result) {
    return ScoringFixtures.counter(result, ScoreWithXGBoost.REGISTRY_POLL_FAILURES);
  }

  /**
   * Waits for {@code condition}, failing with what the run did so far if the pipeline ends (its
   * error rethrown) or {@link #PHASE_DEADLINE} passes first.
   */
  private static void awaitOrFail(PipelineResult result, String what, BooleanSupplier condition)
      throws Exception {
    long deadline = System.nanoTime() + PHASE_DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (result.getState().isTerminal()) {
        result.waitUntilFinish(); // rethrows the pipeline's failure
        fail(
            "the pipeline ended ("
                + result.getState()
                + ") before "
                + what
                + "; "
                + progress(result));
      }
      if (System.nanoTime() > deadline) {
        fail("no " + what + " in " + PHASE_DEADLINE.toSeconds() + " s; " + progress(result));
      }
      Thread.sleep(20);
    }
  }

  private static String progress(PipelineResult result) {
    return "pipeline "
        + result.getState()
        + ", "
        + SCORES.size()
        + " scores (last row "
        + SCORES.stream()
            .mapToInt(r -> Integer.parseInt(r.getString(Score.EVENT_ID).substring(1)))
            .max()
            .orElse(-1)
        + ") by version "
        + SCORES.stream()
            .collect(
                Collectors.groupingBy(r -> r.getString(Score.MODEL_VERSION), Collectors.counting()))
        + ", "
        + failedPolls(result)
        + " failed polls";
  }

  /** Written directly: {@code promote} would refuse both bad versions. */
  private static void writeLatest(String root, String version) throws Exception {
    Files.writeString(Paths.get(root, "LATEST"), version + "\n");
  }

  private static final class CollectScoresFn extends DoFn<Row, Void> {
    @ProcessElement
    public void process(@Element Row score) {
      SCORES.add(score);
      if ("v0002".equals(score.getString(Score.MODEL_VERSION))) {
        GOOD_VERSION_SEEN.set(true);
      }
    }
  }

  private static final class CollectDeadLettersFn extends DoFn<Row, Void> {
    @ProcessElement
    public void process(@Element Row deadLetter) {
      DEAD_LETTERS.add(deadLetter);
    }
  }
}
