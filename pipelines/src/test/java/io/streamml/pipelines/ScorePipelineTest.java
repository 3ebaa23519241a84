package io.streamml.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.schemas.Alert;
import io.streamml.schemas.Score;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.values.PCollection;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * {@code streamml score} end to end on the Direct runner, with a model trained by {@code train}.
 */
@RunWith(JUnit4.class)
public class ScorePipelineTest {

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static String registry;

  @BeforeClass
  public static void trainAModel() throws Exception {
    registry = FOLDER.newFolder("registry").toString();
    TrainPipeline.run(
        PipelineOptionsFactory.fromArgs(
                "--events=4000",
                "--rounds=20",
                "--registry=" + registry,
                "--output=" + FOLDER.newFolder("train"))
            .as(TrainPipeline.Options.class),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private static ScorePipeline.Options options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(ScorePipeline.Options.class);
  }

  private static List<JsonNode> lines(String pattern) {
    List<JsonNode> rows = new ArrayList<>();
    OutputFiles.forEachLine(
        pattern,
        line -> {
          try {
            rows.add(MAPPER.readTree(line));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    return rows;
  }

  @Test
  public void everyVectorIsScoredAndEveryScoreAtTheThresholdAlerts() throws Exception {
    String out = FOLDER.newFolder().toString();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ScorePipeline.Options options =
        options(
            "--events=1500",
            "--seed=11",
            "--registry=" + registry,
            "--threshold=0.3",
            "--writeParquet",
            "--output=" + out);

    ScoringSummary summary =
        ScorePipeline.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

    // The fraud features are per event: one score per simulated event.
    assertEquals(1500, summary.scores());
    List<JsonNode> scores = lines(ScoringStages.scoresPrefix(options) + "*");
    long atThreshold = 0;
    for (JsonNode score : scores) {
      assertEquals("v0001", score.get(Score.MODEL_VERSION).asText());
      assertEquals(0.3, score.get(Score.THRESHOLD).asDouble(), 0);
      if (score.get(Score.SCORE).asDouble() >= 0.3) {
        atThreshold++;
        assertTrue(score.get(Score.CONTRIBUTIONS).size() > 0);
      }
    }
    assertTrue("some scores alert", atThreshold > 0);
    assertEquals(atThreshold, summary.modelAlerts());
    for (JsonNode alert : lines(ScoringStages.alertsPrefix(options) + "*")) {
      if (alert.get(Alert.KIND).asText().equals(Alert.Kind.RULE)) {
        assertEquals("card_velocity", alert.get(Alert.SOURCE).asText());
        assertTrue(alert.get(Alert.VALUE).asDouble() > 5);
      }
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text, text.matches("(?s).*scores\\s+1500 .*alert rate\\s+\\d+\\.\\d+%.*"));

    // The Parquet copy holds the same scores, readable by ParquetIO with the Score schema.
    Pipeline read = Pipeline.create();
    PCollection<Long> parquetScores =
        read.apply(
                ParquetIO.read(AvroUtils.toAvroSchema(Score.SCHEMA))
                    .from(ScorePipeline.scoresParquet(options) + "/*.parquet"))
            .apply(Count.globally());
    PAssert.thatSingleton(parquetScores).isEqualTo(1500L);
    read.run().waitUntilFinish();
  }

  @Test
  public void aPinnedBundleScoresWithItsVersion() throws Exception {
    String out = FOLDER.newFolder().toString();
    ScorePipeline.Options options =
        options(
            "--events=500",
            "--useCase=fraud",
            "--model=" + registry + "/v0001",
            "--crossBundleBatchMillis=500",
            "--output=" + out);

    ScoringSummary summary =
        ScorePipeline.run(
            options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertEquals(500, summary.scores());
    assertEquals(Long.valueOf(500), summary.scoresByVersion().get("v0001"));
  }

  @Test
  public void approximateReasonsComeWithEveryScoreAtTheThreshold() throws Exception {
    String out = FOLDER.newFolder().toString();
    ScorePipeline.Options options =
        options(
            "--events=300",
            "--useCase=fraud",
            "--model=" + registry + "/v0001",
            "--threshold=0.0",
            "--approximateReasons",
            "--output=" + out);

    ScorePipeline.run(
        options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    List<JsonNode> scores = lines(ScoringStages.scoresPrefix(options) + "*");
    assertEquals(300, scores.size());
    for (JsonNode score : scores) {
      JsonNode reasons = score.get("contributions");
      assertTrue(score.toString(), reasons.isArray() && reasons.size() <= 3);
      for (JsonNode reason : reasons) {
        assertTrue(score.toString(), reason.get("contribution").asDouble() > 0);
      }
    }
  }

  @Test
  public void noModelIsOneClearError() throws Exception {
    String empty = FOLDER.newFolder().toString();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ScorePipeline.run(
                    options("--events=10", "--model=" + empty, "--output=" + empty), System.out));
    assertEquals(
        "--model="
            + empty
            + " holds no model: neither a registry with a LATEST version nor a model bundle"
            + " (train one with 'streamml train')",
        e.getMessage());
  }

  @Test
  public void aBadScoringFlagNamesTheFlag() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ScorePipeline.run(
                    options("--events=10", "--registry=" + registry, "--maxBatchSize=0"),
                    System.out));
    assertEquals("--maxBatchSize must be at least 1, not 0", e.getMessage());
  }

  @Test
  public void eachOutputTopicFlagAddsItsKafkaWrite() {
    ScorePipeline.Options options =
        options(
            "--events=10",
            "--registry=" + registry,
            "--outputBootstrapServers=localhost:1",
            "--outputTopicFeatures=f",
            "--outputTopicScores=s",
            "--outputTopicAlerts=a",
            "--outputTopicDeadLetters=d");
    Pipeline pipeline = Pipeline.create(options);
    ScorePipeline.buildPipeline(pipeline, options);
    assertEquals(
        Set.of(
            "WriteFeaturesToKafka",
            "WriteScoresToKafka",
            "WriteAlertsToKafka",
            "WriteDeadLettersToKafka"),
        StepNames.endingWith(pipeline, "ToKafka"));
  }

  @Test
  public void withoutOutputTopicsNothingIsWrittenToKafka() {
    ScorePipeline.Options options = options("--events=10", "--registry=" + registry);
    Pipeline pipeline = Pipeline.create(options);
    ScorePipeline.buildPipeline(pipeline, options);
    assertEquals(Set.of(), StepNames.endingWith(pipeline, "ToKafka"));
  }

  @Test
  public void anOutputTopicWithoutBrokersIsOneClearError() {
    ScorePipeline.Options options =
        options("--events=10", "--registry=" + registry, "--outputTopicScores=scores");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ScorePipeline.buildPipeline(Pipeline.create(options), options));
    assertEquals(
        "Writing to Kafka topic 'scores' needs --outputBootstrapServers (or --bootstrapServers)",
        e.getMessage());
  }
}
