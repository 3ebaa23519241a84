package io.streamml.transforms.scoring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.Score;
import io.streamml.transforms.model.ModelRegistry;
import java.util.ArrayList;
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
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PeriodicImpulse;
import org.apache.beam.sdk.transforms.WithFailures;
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
 * Hot swap on a real unbounded stream (a PeriodicImpulse ticking every 20 ms) on the Direct runner:
 * once scores flow, the pipeline itself promotes a new version in the registry, and later rows are
 * scored by it without a restart. The run is cancelled once a row scored by the new version comes
 * out, so the test waits on the event, not on a guess at the machine's speed. On a runner whose
 * {@code run()} blocks (TestFlinkRunner) the stream runs to its end instead.
 */
@RunWith(JUnit4.class)
public class ScoreWithXGBoostHotSwapTest {

  // 30 s of stream: what TestFlinkRunner waits for (its run() blocks), with room for its start-up.
  private static final int ROWS = 1500;
  private static final long TICK_MILLIS = 20;

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static final Queue<Row> SCORES = new ConcurrentLinkedQueue<>();
  private static final CountDownLatch NEW_VERSION_SEEN = new CountDownLatch(1);

  @AfterClass
  public static void free() {
    ModelCache.clear();
  }

  @Test
  public void aVersionPromotedMidStreamScoresTheLaterRows() throws Exception {
    String root = FOLDER.newFolder("registry").toString();
    Booster first = ScoringFixtures.train(20, false);
    Booster second = ScoringFixtures.train(20, true);
    List<Row> vectors = ScoringFixtures.vectors(ROWS, 3);
    Map<String, float[]> expected = new HashMap<>();
    expected.put("v0001", ScoringFixtures.reference(first, vectors));
    expected.put("v0002", ScoringFixtures.reference(second, vectors));
    ScoringFixtures.register(root, first, 0.5);
    ScoringFixtures.register(root, second, 0.5);
    ModelRegistry.at(root).promote("v0001");
    first.dispose();
    second.dispose();

    Pipeline pipeline = Pipeline.create(streamingOptions());
    Instant start = Instant.now();
    Instant end = start.plus(Duration.millis(TICK_MILLIS * ROWS));
    WithFailures.Result<org.apache.beam.sdk.values.PCollection<Row>, Row> scored =
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
    scored.output().apply("PromoteOnceScoresFlow", ParDo.of(new PromoteAndCollectFn(root)));

    PipelineResult result = pipeline.run();
    boolean seen = NEW_VERSION_SEEN.await(2, TimeUnit.MINUTES);
    if (!result.getState().isTerminal()) {
      result.cancel();
    }
    assertTrue("no row was scored by the promoted version", seen);

    Map<Integer, String> versions = new HashMap<>();
    for (Row score : SCORES) {
      int i = Integer.parseInt(score.getString(Score.EVENT_ID).substring(1));
      String version = score.getString(Score.MODEL_VERSION);
      versions.put(i, version);
      assertEquals(
          "row " + i + " by " + version,
          expected.get(version)[i],
          score.getDouble(Score.SCORE),
          1e-6);
    }
    List<Integer> indexes = new ArrayList<>(versions.keySet());
    indexes.sort(null);
    assertEquals("v0001", versions.get(indexes.get(0)));
    assertTrue(versions.containsValue("v0002"));
    // Not asserted: that no v0001 score follows the first v0002 score. It is not guaranteed. The
    // runner processes bundles on several threads at once, and each element reads the side input
    // when it is processed, so a bundle that read v0001 before the new pane landed may still be
    // scoring (or flushing its v0001 buffer in finishBundle) after another bundle has emitted v0002
    // scores; and this collector sees scores in the order its own bundles run, not scoring order.
    // What is guaranteed, and checked above: every score carries the version that scored it.
    // The scores above prove both loads; the counters of bundles still running when the run was
    // cancelled may not be reported yet (seen in a full build), so they are only checked as live.
    assertTrue(ScoringFixtures.counter(result, ScoreWithXGBoost.MODEL_LOADS) >= 1);
    assertTrue(ScoringFixtures.counter(result, ScoreWithXGBoost.ROWS_SCORED) > 0);
  }

  /**
   * The test pipeline options ({@code beamTestPipelineOptions}, so integration-tests can run this
   * on Flink), streaming. On the Direct runner {@code run()} returns at once and the test cancels
   * the run once v0002 scored; TestFlinkRunner's {@code run()} returns when the stream has ended
   * (the ticks stop after {@code ROWS} ticks), and the scores are checked then.
   */
  private static PipelineOptions streamingOptions() {
    PipelineOptions options = TestPipeline.testingPipelineOptions();
    options.as(StreamingOptions.class).setStreaming(true);
    if (options.getRunner() == DirectRunner.class) {
      options.as(DirectOptions.class).setBlockOnRun(false);
    }
    return options;
  }

  /** Collects scores; promotes v0002 on the first v0001 score: a release while scores flow. */
  private static final class PromoteAndCollectFn extends DoFn<Row, Void> {
    private final String root;

    PromoteAndCollectFn(String root) {
      this.root = root;
    }

    @ProcessElement
    public void process(@Element Row score) throws Exception {
      SCORES.add(score);
      if ("v0002".equals(score.getString(Score.MODEL_VERSION))) {
        NEW_VERSION_SEEN.countDown();
        return;
      }
      ModelRegistry registry = ModelRegistry.at(root);
      if ("v0001".equals(registry.latestVersion())) {
        registry.promote("v0002");
      }
    }
  }
}
