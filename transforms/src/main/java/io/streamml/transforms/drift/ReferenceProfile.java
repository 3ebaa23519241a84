package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the model saw at training time, the baseline drift is measured against: a {@link
 * FeatureReference} per feature, in the model's feature order, and one for the model's score on the
 * same rows, and, when the training events were counted, one per categorical event field (see
 * {@link FeatureReference#categorical}). Immutable; written into a model bundle as {@code
 * profile.json} (profiles without categories, from before they were kept, still read).
 */
public final class ReferenceProfile implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Bumped when profile.json changes incompatibly. */
  public static final int FORMAT_VERSION = 1;

  /** Quantile bins per feature unless told otherwise. */
  public static final int DEFAULT_BINS = 10;

  public static final String SCORE = "score";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final int bins;
  private final long rows;
  private final LinkedHashMap<String, FeatureReference> features;
  private final FeatureReference score;
  private final LinkedHashMap<String, FeatureReference> categories;

  private ReferenceProfile(
      int bins,
      long rows,
      List<FeatureReference> features,
      FeatureReference score,
      List<FeatureReference> categories) {
    this.bins = bins;
    this.rows = rows;
    this.features = new LinkedHashMap<>();
    for (FeatureReference feature : features) {
      checkArgument(
          this.features.put(feature.name(), feature) == null,
          "feature '%s' appears twice",
          feature.name());
    }
    this.score = score;
    this.categories = new LinkedHashMap<>();
    for (FeatureReference category : categories) {
      checkArgument(category.isCategorical(), "'%s' is not categorical", category.name());
      checkArgument(
          !this.features.containsKey(category.name())
              && this.categories.put(category.name(), category) == null,
          "column '%s' appears twice",
          category.name());
    }
  }

  /** This profile with the references of categorical event fields (replacing any it had). */
  public ReferenceProfile withCategories(List<FeatureReference> categoricalFields) {
    return new ReferenceProfile(bins, rows, features(), score, categoricalFields);
  }

  /** The references of categorical event fields, in the spec's field order. */
  public List<FeatureReference> categories() {
    return List.copyOf(categories.values());
  }

  /** The reference of a feature, a categorical field or the score; null if there is none. */
  public @Nullable FeatureReference column(String name) {
    if (name.equals(SCORE)) {
      return score;
    }
    FeatureReference feature = features.get(name);
    return feature != null ? feature : categories.get(name);
  }

  /**
   * The profile of {@code rows} dense rows of {@code values} (row-major, {@code
   * featureNames.size()} per row, NaN = missing) and the model's {@code scores} on them.
   */
  public static ReferenceProfile compute(
      List<String> featureNames, float[] values, float[] scores, int bins) {
    int d = featureNames.size();
    int n = scores.length;
    checkArgument(
        values.length == (long) n * d,
        "%s values are not %s rows of %s features",
        values.length,
        n,
        d);
    List<FeatureReference> features = new ArrayList<>(d);
    double[] column = new double[n];
    for (int j = 0; j < d; j++) {
      for (int i = 0; i < n; i++) {
        column[i] = values[i * d + j];
      }
      features.add(FeatureReference.compute(featureNames.get(j), column, bins));
    }
    double[] scoreColumn = new double[n];
    for (int i = 0; i < n; i++) {
      scoreColumn[i] = scores[i];
    }
    return new ReferenceProfile(
        bins, n, features, FeatureReference.compute(SCORE, scoreColumn, bins), List.of());
  }

  /** Quantile bins requested per feature (a feature may have fewer, see FeatureReference). */
  public int bins() {
    return bins;
  }

  /** Rows the profile was computed from. */
  public long rows() {
    return rows;
  }

  /** Feature names in the model's order. */
  public List<String> featureNames() {
    return List.copyOf(features.keySet());
  }

  /** The references of every feature, in the model's order. */
  public List<FeatureReference> features() {
    return List.copyOf(features.values());
  }

  /** The reference of one feature, or null if the model has no such feature. */
  public @Nullable FeatureReference feature(String name) {
    return features.get(name);
  }

  /** The reference of the model's score on the training rows. */
  public FeatureReference score() {
    return score;
  }

  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("formatVersion", FORMAT_VERSION);
    root.put("bins", bins);
    root.put("rows", rows);
    ArrayNode featureArray = root.putArray("features");
    features.values().forEach(f -> featureArray.add(f.toJson()));
    root.set(SCORE, score.toJson());
    if (!categories.isEmpty()) {
      ArrayNode categoryArray = root.putArray("categories");
      categories.values().forEach(c -> categoryArray.add(c.toJson()));
    }
    return root.toPrettyString();
  }

  /** Parses {@link #toJson()}'s output; IllegalArgumentException naming what is wrong. */
  public static ReferenceProfile fromJson(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("reference profile is not JSON: " + e.getMessage(), e);
    }
    int version = root.path("formatVersion").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "reference profile has format version "
              + version
              + "; this streamml reads version "
              + FORMAT_VERSION);
    }
    List<FeatureReference> features = new ArrayList<>();
    root.path("features").forEach(node -> features.add(FeatureReference.fromJson(node)));
    if (!root.has(SCORE)) {
      throw new IllegalArgumentException("reference profile: 'score' is missing");
    }
    List<FeatureReference> categories = new ArrayList<>();
    root.path("categories").forEach(node -> categories.add(FeatureReference.fromJson(node)));
    return new ReferenceProfile(
        root.path("bins").asInt(),
        root.path("rows").asLong(),
        features,
        FeatureReference.fromJson(root.get(SCORE)),
        categories);
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ReferenceProfile)) {
      return false;
    }
    ReferenceProfile that = (ReferenceProfile) other;
    return bins == that.bins
        && rows == that.rows
        && features.equals(that.features)
        && score.equals(that.score)
        && categories.equals(that.categories);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bins, rows, features, score);
  }
}
