package io.streamml.transforms.scoring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.FeatureVector;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import ml.dmlc.xgboost4j.java.Booster;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The errors a user meets when the scoring step is built, before any data flows: features that do
 * not fit the model, an empty registry, a missing or corrupt bundle. Nothing runs, so nothing here
 * depends on the runner.
 */
@RunWith(JUnit4.class)
public class ScoreWithXGBoostLaunchErrorsTest {

  private static final double THRESHOLD = 0.5;

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Booster booster;
  private static String registry;

  @BeforeClass
  public static void trainAndRegister() throws Exception {
    booster = ScoringFixtures.train(5, false);
    registry = FOLDER.newFolder("registry").toString();
    ScoringFixtures.register(registry, booster, THRESHOLD);
  }

  @AfterClass
  public static void free() {
    booster.dispose();
  }

  @Test
  public void mismatchedFeaturesAreRefusedBeforeDataFlows() {
    Schema fewer =
        Schema.builder()
            .addStringField("key")
            .addNullableField("amount", Schema.FieldType.DOUBLE)
            .addNullableField("tx_count_1m", Schema.FieldType.STRING)
            .build();
    pipeline.enableAbandonedNodeEnforcement(false);
    PCollection<Row> rows = pipeline.apply(Create.empty(fewer));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> rows.apply(ScoreWithXGBoost.pinned(registry + "/v0001")));
    assertTrue(e.getMessage(), e.getMessage().contains("model v0001 cannot score these rows"));
    assertTrue(e.getMessage(), e.getMessage().contains("needs features [log_amount, is_online,"));
    assertTrue(e.getMessage(), e.getMessage().contains("[tx_count_1m (STRING)] are not numbers"));
  }

  @Test
  public void vectorsOfAnotherSpecAreRefused() {
    Schema other =
        FeatureVector.schema(
            io.streamml.schemas.UseCaseSpecs.builtIn(io.streamml.schemas.UseCaseSpecs.MAINTENANCE));
    pipeline.enableAbandonedNodeEnforcement(false);
    PCollection<Row> rows = pipeline.apply(Create.empty(other));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> rows.apply(ScoreWithXGBoost.fromRegistry(registry)));
    assertTrue(e.getMessage(), e.getMessage().contains("the input has features [readings,"));
  }

  @Test
  public void anEmptyRegistryIsAClearError() throws Exception {
    String empty = FOLDER.newFolder().toString();
    pipeline.enableAbandonedNodeEnforcement(false);
    PCollection<Row> rows = pipeline.apply(Create.empty(ScoringFixtures.VECTOR_SCHEMA));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> rows.apply(ScoreWithXGBoost.fromRegistry(empty)));
    assertEquals(
        "Model registry " + empty + " has no models yet (train one with 'streamml train')",
        e.getMessage());
  }

  @Test
  public void aMissingOrCorruptBundleIsAClearError() throws Exception {
    File copy = FOLDER.newFolder();
    Path bundle = copy.toPath().resolve("v0001");
    ScoringFixtures.bundle(booster, THRESHOLD).writeTo(bundle.toString());
    Files.writeString(bundle.resolve("model.json"), "not a model");
    pipeline.enableAbandonedNodeEnforcement(false);
    PCollection<Row> rows = pipeline.apply(Create.empty(ScoringFixtures.VECTOR_SCHEMA));

    IllegalArgumentException corrupt =
        assertThrows(
            IllegalArgumentException.class,
            () -> rows.apply("ScoreCorrupt", ScoreWithXGBoost.pinned(bundle.toString())));
    assertEquals(
        "Cannot load model bundle "
            + bundle
            + ": Model bundle "
            + bundle
            + ": model.json does not match its manifest checksum",
        corrupt.getMessage());

    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> rows.apply("ScoreMissing", ScoreWithXGBoost.pinned(copy + "/v0404")));
    assertNotNull(missing.getMessage());
    assertTrue(
        missing.getMessage(),
        missing.getMessage().startsWith("Cannot load model bundle " + copy + "/v0404: "));
  }
}
