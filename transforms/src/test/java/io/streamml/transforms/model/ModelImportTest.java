package io.streamml.transforms.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.drift.ReferenceProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Importing a model trained elsewhere. The fixtures are written by xgboost4j's own {@code
 * Booster.toByteArray("ubj")} and {@code ("json")}, the same serialisation the Python and R
 * packages' {@code save_model} use (one C++ implementation); no file from Python itself is used.
 */
class ModelImportTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final UseCaseSpec SPEC = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);

  private static TrainingSet data;
  private static Booster external;
  private static List<String> flatRows;

  @TempDir Path dir;

  @BeforeAll
  static void trainElsewhere() throws Exception {
    data = XGBoostTrainerTest.simulated(UseCaseSpecs.FRAUD, 5_000);
    external = XGBoostTrainer.create().withRounds(15).train(data).booster;
    flatRows = rows(false);
  }

  @AfterAll
  static void dispose() {
    external.dispose();
  }

  /** The training rows as JSON lines: flat feature fields, or nested as streamml writes them. */
  private static List<String> rows(boolean nested) {
    List<String> names = data.featureNames();
    int d = names.size();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      ObjectNode row = MAPPER.createObjectNode();
      ObjectNode features = nested ? row.putObject("features") : row;
      for (int j = 0; j < d; j++) {
        float value = data.values()[i * d + j];
        if (Float.isNaN(value)) {
          features.putNull(names.get(j));
        } else {
          features.put(names.get(j), value);
        }
      }
      row.put("label", data.labels()[i]);
      lines.add(row.toString());
    }
    return lines;
  }

  private ModelBundle importModel(byte[] model, List<String> features, List<String> rows)
      throws Exception {
    return ModelImport.bundle(model, "model", features, SPEC, rows, "rows.jsonl", null);
  }

  private static java.util.Set<String> names(Path folder) throws Exception {
    try (java.util.stream.Stream<Path> files = Files.list(folder)) {
      return files
          .map(f -> f.getFileName().toString())
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  /**
   * An import names no destination: the registry picks the next version folder under its root, so
   * nothing a user gives (nor a tampered LATEST) can steer the write outside it.
   */
  @Test
  void anImportWritesOnlyInsideTheRegistryRoot() throws Exception {
    Path root = dir.resolve("registry");
    ModelRegistry registry = ModelRegistry.at(root.toString());
    byte[] json = external.toByteArray("json");
    registry.register(importModel(json, data.featureNames(), flatRows));
    Files.writeString(root.resolve("LATEST"), "../escaped\n");

    String version = registry.register(importModel(json, data.featureNames(), flatRows), true);

    assertEquals("v0002", version);
    assertEquals(java.util.Set.of("registry"), names(dir));
    assertEquals(java.util.Set.of("LATEST", "v0001", "v0002"), names(root));
    assertEquals("v0002", registry.latestVersion());
    assertEquals(
        java.util.Set.of("model.json", "bundle.json", "profile.json", "manifest.json"),
        names(root.resolve("v0002")));
  }

  @Test
  void ubjModelImportsAndPredictsExactlyLikeTheOriginal() throws Exception {
    byte[] ubj = external.toByteArray("ubj");
    assertEquals(ModelImport.Format.UBJ, ModelImport.detectFormat(ubj, "model.ubj"));

    ModelBundle bundle = importModel(ubj, data.featureNames(), flatRows);
    ModelRegistry registry = ModelRegistry.at(dir.toString());
    registry.register(bundle);
    Booster loaded = registry.loadLatest().loadBooster();
    try {
      assertArrayEquals(
          XGBoostTrainer.predict(external, data), XGBoostTrainer.predict(loaded, data));
    } finally {
      loaded.dispose();
    }
    ReferenceProfile profile = registry.loadLatest().profile().orElseThrow();
    assertEquals(data.size(), profile.rows());
    assertEquals(data.featureNames(), profile.featureNames());
    assertTrue(bundle.metrics().get("auc_roc") > 0.8, bundle.metrics().toString());
  }

  @Test
  void jsonModelWithNestedRowsImportsWithTheSameProfile() throws Exception {
    byte[] json = external.toByteArray("json");
    assertEquals(ModelImport.Format.JSON, ModelImport.detectFormat(json, "model.json"));

    ModelBundle fromJson = importModel(json, data.featureNames(), rows(true));
    ModelBundle fromUbj = importModel(external.toByteArray("ubj"), data.featureNames(), flatRows);

    assertEquals(fromUbj.profile(), fromJson.profile());
    assertEquals(fromUbj.threshold(), fromJson.threshold());
  }

  @Test
  void thresholdDefaultsToTheTopOnePercentOfDataScoresAndCanBeGiven() throws Exception {
    byte[] json = external.toByteArray("json");
    float[] scores = XGBoostTrainer.predict(external, data);
    assertEquals(
        BinaryMetrics.thresholdForAlertRate(scores, 0.01),
        importModel(json, data.featureNames(), flatRows).threshold());
    assertEquals(
        0.7,
        ModelImport.bundle(json, "m", data.featureNames(), SPEC, flatRows, "rows", 0.7)
            .threshold());
  }

  @Test
  void featureCountDifferentFromTheModelsIsRefused() {
    List<String> fewer = data.featureNames().subList(0, 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> importModel(external.toByteArray("json"), fewer, flatRows));
    assertEquals(
        "Model file model expects "
            + data.featureNames().size()
            + " features but the feature list has 3: "
            + fewer,
        e.getMessage());
  }

  @Test
  void modelWithOtherFeatureNamesIsRefusedAndWithTheSameAccepted() throws Exception {
    Booster named = ml.dmlc.xgboost4j.java.XGBoost.loadModel(external.toByteArray("ubj"));
    try {
      List<String> reversed = new ArrayList<>(data.featureNames());
      java.util.Collections.reverse(reversed);
      named.setFeatureNames(reversed.toArray(new String[0]));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> importModel(named.toByteArray("ubj"), data.featureNames(), flatRows));
      assertTrue(
          e.getMessage().startsWith("Model file model was trained on features [" + reversed.get(0)),
          e.getMessage());

      named.setFeatureNames(data.featureNames().toArray(new String[0]));
      assertEquals(
          data.featureNames(),
          importModel(named.toByteArray("ubj"), data.featureNames(), flatRows).featureNames());
    } finally {
      named.dispose();
    }
  }

  @Test
  void featureTheUseCaseDoesNotComputeIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> importModel(external.toByteArray("json"), List.of("shoe_size"), flatRows));
    assertTrue(e.getMessage().startsWith("Feature 'shoe_size' is not one use case 'fraud'"));
  }

  @Test
  void corruptModelFilesAreRefused() throws Exception {
    byte[] json = external.toByteArray("json");
    byte[] truncated = java.util.Arrays.copyOf(json, json.length / 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> importModel(truncated, data.featureNames(), flatRows));
    assertTrue(
        e.getMessage().startsWith("Model file model is not a readable XGBoost model: "),
        e.getMessage());

    IllegalArgumentException binary =
        assertThrows(
            IllegalArgumentException.class,
            () -> importModel(new byte[] {0, 1, 2, 3}, data.featureNames(), flatRows));
    assertTrue(
        binary.getMessage().startsWith("Model file model is neither XGBoost JSON nor UBJ"),
        binary.getMessage());
  }

  @Test
  void badDataLinesAreRefusedNamingTheLine() {
    List<String> rows = new ArrayList<>(flatRows.subList(0, 5));
    rows.set(2, "{\"" + data.featureNames().get(0) + "\": \"many\"}");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> importModel(external.toByteArray("json"), data.featureNames(), rows));
    assertEquals(
        "Data file rows.jsonl line 3: '"
            + data.featureNames().get(0)
            + "' is not a number: \"many\"",
        e.getMessage());
  }

  @Test
  void missingFilesAreRefusedNamingThem() {
    String missing = dir.resolve("nope.ubj").toString();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelImport.readModelFile(missing));
    assertEquals("Model file " + missing + " does not exist", e.getMessage());
  }

  @Test
  void filesAreReadFromPaths() throws Exception {
    Path features = dir.resolve("features.txt");
    Files.writeString(features, "a\nb, c\n\n");
    assertEquals(List.of("a", "b", "c"), ModelImport.readFeatureList(features.toString()));
    Path rows = dir.resolve("rows.jsonl");
    Files.writeString(rows, "{\"a\":1}\n\n{\"a\":2}\n");
    assertEquals(2, ModelImport.readDataFile(rows.toString()).size());
  }
}
