package io.streamml.transforms.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.drift.ReferenceProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Brings a model trained elsewhere into the registry: an XGBoost model file (JSON or UBJ, as the
 * Python and R packages' {@code save_model} write them, told apart by content), its feature names
 * in column order, and a JSON-lines data file the reference profile is computed from (the model's
 * scores on it come from one batch predict).
 *
 * <p>Every refusal is an {@link IllegalArgumentException} with one line naming the file and what is
 * wrong: a missing or unreadable file, a model that is not XGBoost JSON/UBJ, a feature count or
 * names that differ from the model's, a model whose scores are not in [0, 1], a data line that is
 * not a JSON object or has a non-numeric feature.
 */
public final class ModelImport {

  /** The two XGBoost model formats this reads; legacy binary models are refused. */
  public enum Format {
    JSON,
    UBJ
  }

  /** Alert rate on the data file's scores that sets the threshold when none is given. */
  public static final double DEFAULT_ALERT_RATE = 0.01;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ModelImport() {}

  /** The format of an XGBoost model file from its first bytes. */
  public static Format detectFormat(byte[] bytes, String source) {
    int i = skipWhitespace(bytes, 0);
    if (i < bytes.length && bytes[i] == '{') {
      int next = skipWhitespace(bytes, i + 1);
      // JSON continues with a quoted key; UBJSON with the type marker of the key's length.
      if (next < bytes.length && (bytes[next] == '"' || bytes[next] == '}')) {
        return Format.JSON;
      }
      if (i == 0 && bytes.length > 1 && "iUIlL$#".indexOf(bytes[1]) >= 0) {
        return Format.UBJ;
      }
    }
    throw new IllegalArgumentException(
        "Model file "
            + source
            + " is neither XGBoost JSON nor UBJ (legacy binary models are not supported: re-save"
            + " it with save_model(\"model.json\") or \"model.ubj\")");
  }

  private static int skipWhitespace(byte[] bytes, int from) {
    int i = from;
    while (i < bytes.length && Character.isWhitespace(bytes[i])) {
      i++;
    }
    return i;
  }

  /** Reads an XGBoost model file (JSON or UBJ) from any Beam filesystem path. */
  public static byte[] readModelFile(String path) throws IOException {
    return readRequired(path, "Model file");
  }

  /** Reads a JSON-lines data file from any Beam filesystem path; blank lines are skipped. */
  public static List<String> readDataFile(String path) throws IOException {
    String text = new String(readRequired(path, "Data file"), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    text.lines().filter(line -> !line.isBlank()).forEach(lines::add);
    return lines;
  }

  /** Feature names from a file: one per line or comma-separated; blank entries are skipped. */
  public static List<String> readFeatureList(String path) throws IOException {
    String text = new String(readRequired(path, "Feature list"), StandardCharsets.UTF_8);
    return parseFeatureList(text);
  }

  /** Feature names separated by commas or new lines, trimmed. */
  public static List<String> parseFeatureList(String text) {
    List<String> names = new ArrayList<>();
    for (String name : text.split("[,\\r\\n]+")) {
      if (!name.isBlank()) {
        names.add(name.strip());
      }
    }
    return names;
  }

  private static byte[] readRequired(String path, String what) throws IOException {
    ResourceId file = FileSystems.matchNewResource(path, false);
    if (!BundleFiles.exists(file)) {
      throw new IllegalArgumentException(what + " " + path + " does not exist");
    }
    return BundleFiles.read(file);
  }

  /**
   * The bundle of an external model: checked against {@code featureNames}, its threshold {@code
   * threshold} or else the score alerting on {@link #DEFAULT_ALERT_RATE} of the data rows, its
   * profile from {@code dataLines}. Holdout metrics are computed only if every data row has a
   * {@code label} and both classes occur.
   */
  public static ModelBundle bundle(
      byte[] modelBytes,
      String modelSource,
      List<String> featureNames,
      UseCaseSpec spec,
      List<String> dataLines,
      String dataSource,
      @Nullable Double threshold)
      throws IOException {
    checkFeatures(featureNames, spec);
    detectFormat(modelBytes, modelSource);
    Booster booster;
    try {
      booster = XGBoost.loadModel(modelBytes);
    } catch (XGBoostError | RuntimeException e) {
      throw new IllegalArgumentException(
          "Model file " + modelSource + " is not a readable XGBoost model: " + firstLine(e), e);
    }
    try {
      byte[] json = booster.toByteArray("json");
      checkModel(booster, json, modelSource, featureNames);
      Data data = Data.parse(dataLines, dataSource, featureNames);
      float[] scores = predict(booster, data.values, data.rows(), featureNames.size(), modelSource);
      Map<String, Double> metrics = new LinkedHashMap<>();
      if (data.hasBothClasses()) {
        metrics.put("auc_roc", BinaryMetrics.aucRoc(scores, data.labels));
        metrics.put("auc_pr", BinaryMetrics.aucPr(scores, data.labels));
        metrics.put("log_loss", BinaryMetrics.logLoss(scores, data.labels));
      }
      double chosen =
          threshold != null
              ? threshold
              : BinaryMetrics.thresholdForAlertRate(scores, DEFAULT_ALERT_RATE);
      if (data.hasBothClasses()) {
        double[] precisionRecall = BinaryMetrics.precisionRecall(scores, data.labels, chosen);
        metrics.put("precision_at_threshold", precisionRecall[0]);
        metrics.put("recall_at_threshold", precisionRecall[1]);
      }
      metrics.put("profile_rows", (double) data.rows());
      Instant now = Instant.now();
      return new ModelBundle(
              json,
              featureNames,
              spec,
              metrics,
              chosen,
              data.firstTime == null ? now : data.firstTime,
              data.lastTime == null ? now : data.lastTime)
          .withProfile(
              ReferenceProfile.compute(
                  featureNames, data.values, scores, ReferenceProfile.DEFAULT_BINS));
    } catch (XGBoostError e) {
      throw new IllegalArgumentException(
          "Model file " + modelSource + " cannot be used: " + firstLine(e), e);
    } finally {
      booster.dispose();
    }
  }

  private static void checkFeatures(List<String> featureNames, UseCaseSpec spec) {
    if (featureNames.isEmpty()) {
      throw new IllegalArgumentException("The feature list is empty");
    }
    if (featureNames.stream().distinct().count() != featureNames.size()) {
      throw new IllegalArgumentException("The feature list names a feature twice: " + featureNames);
    }
    // Scoring computes the use case's features and hands the model the ones it names.
    if (spec.features() != null) {
      List<String> computed = spec.features().names();
      for (String name : featureNames) {
        if (!computed.contains(name)) {
          throw new IllegalArgumentException(
              "Feature '"
                  + name
                  + "' is not one use case '"
                  + spec.name()
                  + "' computes: "
                  + computed);
        }
      }
    }
  }

  private static void checkModel(
      Booster booster, byte[] json, String source, List<String> featureNames)
      throws XGBoostError, IOException {
    long modelFeatures = booster.getNumFeature();
    if (modelFeatures != featureNames.size()) {
      throw new IllegalArgumentException(
          "Model file "
              + source
              + " expects "
              + modelFeatures
              + " features but the feature list has "
              + featureNames.size()
              + ": "
              + featureNames);
    }
    // Unnamed models (xgboost4j's, Python's from a bare array) report nulls; only names count.
    String[] named = booster.getFeatureNames();
    boolean hasNames = named != null && Arrays.stream(named).anyMatch(n -> n != null);
    if (hasNames && !Arrays.asList(named).equals(featureNames)) {
      throw new IllegalArgumentException(
          "Model file "
              + source
              + " was trained on features "
              + Arrays.toString(named)
              + ", not "
              + featureNames);
    }
    String objective = MAPPER.readTree(json).at("/learner/objective/name").asText();
    if (!XGBoostTrainer.OBJECTIVES.contains(objective)) {
      throw new IllegalArgumentException(
          "Model file "
              + source
              + " has objective '"
              + objective
              + "'; streamml scores need one of "
              + XGBoostTrainer.OBJECTIVES);
    }
  }

  private static float[] predict(
      Booster booster, float[] values, int rows, int features, String source) throws XGBoostError {
    DMatrix matrix = new DMatrix(values, rows, features, Float.NaN);
    try {
      float[][] predictions = booster.predict(matrix);
      if (predictions.length > 0 && predictions[0].length != 1) {
        throw new IllegalArgumentException(
            "Model file "
                + source
                + " predicts "
                + predictions[0].length
                + " values per row; streamml needs one binary score");
      }
      return XGBoostTrainer.column(predictions);
    } finally {
      matrix.dispose();
    }
  }

  private static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** Dense feature rows (and labels, times if present) parsed from JSON lines. */
  private static final class Data {
    final float[] values;
    final float[] labels;
    final boolean allLabelled;
    final @Nullable Instant firstTime;
    final @Nullable Instant lastTime;

    private Data(
        float[] values,
        float[] labels,
        boolean allLabelled,
        @Nullable Instant firstTime,
        @Nullable Instant lastTime) {
      this.values = values;
      this.labels = labels;
      this.allLabelled = allLabelled;
      this.firstTime = firstTime;
      this.lastTime = lastTime;
    }

    int rows() {
      return labels.length;
    }

    boolean hasBothClasses() {
      if (!allLabelled) {
        return false;
      }
      boolean positive = false;
      boolean negative = false;
      for (float label : labels) {
        positive |= label > 0.5;
        negative |= label <= 0.5;
      }
      return positive && negative;
    }

    /**
     * Each line is a feature vector (features under {@code "features"}, as streamml writes them) or
     * a flat object with the feature fields; absent or null features are missing.
     */
    static Data parse(List<String> lines, String source, List<String> featureNames) {
      if (lines.isEmpty()) {
        throw new IllegalArgumentException("Data file " + source + " has no rows");
      }
      int d = featureNames.size();
      float[] values = new float[lines.size() * d];
      float[] labels = new float[lines.size()];
      boolean allLabelled = true;
      boolean anyFeature = false;
      Instant first = null;
      Instant last = null;
      for (int i = 0; i < lines.size(); i++) {
        String where = "Data file " + source + " line " + (i + 1);
        JsonNode row;
        try {
          row = MAPPER.readTree(lines.get(i));
        } catch (IOException e) {
          throw new IllegalArgumentException(where + " is not JSON: " + firstLine(e), e);
        }
        if (row == null || !row.isObject()) {
          throw new IllegalArgumentException(where + " is not a JSON object");
        }
        JsonNode features =
            row.path(FeatureVector.FEATURES).isObject() ? row.get(FeatureVector.FEATURES) : row;
        for (int j = 0; j < d; j++) {
          JsonNode value = features.get(featureNames.get(j));
          anyFeature |= value != null;
          values[i * d + j] = number(value, where, featureNames.get(j));
        }
        JsonNode label = row.get(FeatureVector.LABEL);
        labels[i] = number(label, where, FeatureVector.LABEL);
        allLabelled &= !Float.isNaN(labels[i]);
        JsonNode time = row.get(FeatureVector.FEATURE_TIME);
        if (time != null && !time.isNull()) {
          Instant at = time.isNumber() ? new Instant(time.asLong()) : parseTime(time, where);
          first = first == null || at.isBefore(first) ? at : first;
          last = last == null || at.isAfter(last) ? at : last;
        }
      }
      if (!anyFeature) {
        throw new IllegalArgumentException(
            "Data file " + source + " has none of the features " + featureNames);
      }
      return new Data(values, labels, allLabelled, first, last);
    }

    private static Instant parseTime(JsonNode time, String where) {
      try {
        return Instant.parse(time.asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where + ": " + FeatureVector.FEATURE_TIME + " is not a time: " + time, e);
      }
    }

    private static float number(@Nullable JsonNode value, String where, String field) {
      if (value == null || value.isNull()) {
        return Float.NaN;
      }
      if (value.isNumber()) {
        return value.floatValue();
      }
      if (value.isBoolean()) {
        return value.asBoolean() ? 1f : 0f;
      }
      throw new IllegalArgumentException(where + ": '" + field + "' is not a number: " + value);
    }
  }
}
