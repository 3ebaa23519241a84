package io.streamml.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamml.schemas.UseCaseSpecs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamml models import} end to end. The "externally trained" model is written by
 * xgboost4j's {@code Booster.toByteArray("ubj")}, the same serialisation Python's and R's {@code
 * save_model("model.ubj")} use; no file produced by Python itself is involved.
 */
class ModelsImportCommandTest {

  private static final List<String> FEATURES =
      UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD).features().names();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @TempDir Path dir;
  private String registry;
  private Path data;

  private int run(String... args) {
    out.reset();
    err.reset();
    return StreammlCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8).strip();
  }

  /** A small model on random rows whose label depends on the first feature, and its rows. */
  private Path externalModel(int features, String format) throws Exception {
    Random random = new Random(11);
    int rows = 400;
    float[] values = new float[rows * features];
    float[] labels = new float[rows];
    List<String> lines = new ArrayList<>();
    ObjectMapper mapper = new ObjectMapper();
    for (int i = 0; i < rows; i++) {
      ObjectNode row = mapper.createObjectNode();
      for (int j = 0; j < features; j++) {
        values[i * features + j] = random.nextFloat();
        row.put(FEATURES.get(j), values[i * features + j]);
      }
      labels[i] = values[i * features] > 0.8 ? 1 : 0;
      row.put("label", labels[i]);
      lines.add(row.toString());
    }
    DMatrix matrix = new DMatrix(values, rows, features, Float.NaN);
    matrix.setLabel(labels);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("nthread", 1);
    Booster booster = XGBoost.train(matrix, params, 5, Map.of(), null, null);
    Path model = dir.resolve("model." + format);
    Files.write(model, booster.toByteArray(format));
    booster.dispose();
    matrix.dispose();
    if (features == FEATURES.size()) {
      Files.write(data, lines);
    }
    return model;
  }

  @BeforeEach
  void paths() {
    registry = "--registry=" + dir.resolve("registry");
    data = dir.resolve("rows.jsonl");
  }

  @Test
  void importRegistersAModelThatShowPrintsWithItsProfile() throws Exception {
    Path model = externalModel(FEATURES.size(), "ubj");

    assertEquals(
        0, run("models", "import", registry, "--modelFile=" + model, "--data=" + data), err());
    assertTrue(
        out().startsWith("model v0001 imported from " + model + " (UBJ, 17 features) for fraud"),
        out());
    assertTrue(out().matches("(?s).*auc_roc\\s+(0\\.9|1\\.0)\\d+.*"), out());

    assertEquals(0, run("models", "show", registry), err());
    assertTrue(out().contains("reference profile: 400 rows, up to 10 quantile bins"), out());
    assertTrue(out().matches("(?s).*\\n    amount\\s+10\\s+0\\.00%.*"), out());
    assertTrue(out().matches("(?s).*\\n    score\\s+\\d+\\s+0\\.00%.*"), out());
  }

  @Test
  void importWithoutPromoteLeavesLatestAlone() throws Exception {
    Path model = externalModel(FEATURES.size(), "json");
    String[] importArgs = {"models", "import", registry, "--modelFile=" + model, "--data=" + data};
    assertEquals(0, run(importArgs), err());

    String[] again = {
      "models", "import", registry, "--modelFile=" + model, "--data=" + data, "--promote=false"
    };
    assertEquals(0, run(again), err());
    assertTrue(out().contains("v0002 imported") && out().contains("LATEST unchanged"), out());
    assertEquals(0, run("models", "list", registry), err());
    assertTrue(out().startsWith("v0001 (LATEST)"), out());
  }

  @Test
  void modelWithAnotherFeatureCountIsOneLine() throws Exception {
    externalModel(FEATURES.size(), "ubj"); // writes the data file
    Path model = externalModel(3, "ubj");

    assertEquals(2, run("models", "import", registry, "--modelFile=" + model, "--data=" + data));
    assertEquals(
        "streamml models: Model file "
            + model
            + " expects 3 features but the feature list has 17: "
            + FEATURES,
        err());
  }

  @Test
  void corruptModelFileIsOneLine() throws Exception {
    externalModel(FEATURES.size(), "ubj");
    Path model = dir.resolve("broken.json");
    Files.writeString(model, "{\"learner\": {\"gradient_booster\": ");

    assertEquals(2, run("models", "import", registry, "--modelFile=" + model, "--data=" + data));
    assertEquals(1, err().lines().count(), err());
    assertTrue(
        err().startsWith("streamml models: Model file " + model + " is not a readable XGBoost"),
        err());
  }

  @Test
  void missingFilesAndFlagsAreOneLine() throws Exception {
    Path model = externalModel(FEATURES.size(), "ubj");

    assertEquals(2, run("models", "import", registry, "--data=" + data));
    assertEquals("streamml models: import needs --modelFile=PATH (XGBoost JSON or UBJ)", err());
    assertEquals(
        2,
        run(
            "models",
            "import",
            registry,
            "--modelFile=" + dir.resolve("none.ubj"),
            "--data=" + data));
    assertEquals(
        "streamml models: Model file " + dir.resolve("none.ubj") + " does not exist", err());
    assertEquals(
        2,
        run(
            "models",
            "import",
            registry,
            "--modelFile=" + model,
            "--data=" + dir.resolve("none.jsonl")));
    assertEquals(
        "streamml models: Data file " + dir.resolve("none.jsonl") + " does not exist", err());
  }

  @Test
  void modelsHelpListsTheImportFlags() {
    assertEquals(0, run("models", "--help"));
    assertTrue(out().startsWith("Usage: streamml models list|show|promote|rollback|import"), out());
    assertTrue(out().contains("--modelFile=<String>"), out());
    assertTrue(out().contains("--promote=<Boolean>"), out());
  }
}
