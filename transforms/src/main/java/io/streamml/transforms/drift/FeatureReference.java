package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training-time distribution of one feature (or of the model score): a histogram on fixed bin
 * edges, the count of missing values, and summary statistics. Immutable.
 *
 * <p>Bins are open-ended at both ends: with edges {@code e[0] < ... < e[m-1]}, bin 0 holds values
 * below {@code e[0]}, bin {@code i} holds {@code [e[i-1], e[i])}, and bin {@code m} holds values at
 * or above {@code e[m-1]}; so every finite value of a later window falls in some bin, even far
 * outside the training range. Missing values (null or NaN) are counted apart, never binned.
 *
 * <p>Edges come from the training quantiles at {@code 1/B, ..., (B-1)/B} for {@code B} bins, with
 * duplicates removed (a skewed feature gets fewer bins, never empty duplicate ones). A feature with
 * at most {@code B} distinct values (constant, boolean, small counts) gets its distinct values as
 * edges instead, one bin per value, so a shift between two values is visible.
 *
 * <p>A categorical field (a string field with allowed values) has one bin per category, in the
 * spec's order, plus a last bin for any other value; its values are binned by category index (see
 * {@link #indexOf}), and it has no mean, spread or quantiles.
 */
public final class FeatureReference implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The quantile levels kept in every summary. */
  public static final double[] QUANTILE_LEVELS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

  private final String name;
  private final double[] edges;
  private final long[] counts;
  private final long missing;
  private final long count;
  private final double mean;
  private final double stdDev;
  private final double min;
  private final double max;
  private final double[] quantiles;
  private final List<String> categories;

  private FeatureReference(
      String name,
      double[] edges,
      long[] counts,
      long missing,
      long count,
      double mean,
      double stdDev,
      double min,
      double max,
      double[] quantiles,
      List<String> categories) {
    checkArgument(counts.length == edges.length + 1, "%s: need one more count than edges", name);
    checkArgument(quantiles.length == QUANTILE_LEVELS.length, "%s: wrong quantile count", name);
    for (int i = 1; i < edges.length; i++) {
      checkArgument(edges[i - 1] < edges[i], "%s: edges must increase strictly", name);
    }
    this.name = name;
    this.edges = edges.clone();
    this.counts = counts.clone();
    this.missing = missing;
    this.count = count;
    this.mean = mean;
    this.stdDev = stdDev;
    this.min = min;
    this.max = max;
    this.quantiles = quantiles.clone();
    this.categories = List.copyOf(categories);
  }

  /**
   * The reference of a categorical field: {@code counts[i]} training values of {@code
   * categories.get(i)}, {@code counts[categories.size()]} of any other value, and {@code missing}
   * nulls.
   */
  public static FeatureReference categorical(
      String name, List<String> categories, long[] counts, long missing) {
    checkArgument(!categories.isEmpty(), "%s: no categories", name);
    checkArgument(
        counts.length == categories.size() + 1,
        "%s: need a count per category and one for other values",
        name);
    double[] edges = new double[categories.size()];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = i + 0.5;
    }
    double[] nan = new double[QUANTILE_LEVELS.length];
    Arrays.fill(nan, Double.NaN);
    return new FeatureReference(
        name,
        edges,
        counts,
        missing,
        Arrays.stream(counts).sum(),
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        nan,
        categories);
  }

  /** Whether this is a categorical field's reference. */
  public boolean isCategorical() {
    return !categories.isEmpty();
  }

  /** The categories, in bin order (empty for a numeric feature). */
  public List<String> categories() {
    return categories;
  }

  /** A category's bin index; any value not among the categories gets the last bin. */
  public int indexOf(String value) {
    int index = categories.indexOf(value);
    return index >= 0 ? index : categories.size();
  }

  /**
   * The reference of {@code values} (NaN = missing): edges from {@code bins} quantile bins (or the
   * distinct values if there are at most {@code bins} of them), as the class comment describes.
   */
  public static FeatureReference compute(String name, double[] values, int bins) {
    checkArgument(bins >= 2, "bins must be >= 2: %s", bins);
    double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    long missing = values.length - present.length;
    int n = present.length;
    if (n == 0) {
      double[] nan = new double[QUANTILE_LEVELS.length];
      Arrays.fill(nan, Double.NaN);
      return new FeatureReference(
          name,
          new double[0],
          new long[1],
          missing,
          0,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          nan,
          List.of());
    }
    double[] distinct = Arrays.stream(present).distinct().toArray();
    double[] edges;
    if (distinct.length <= bins) {
      edges = distinct;
    } else {
      double[] cuts = new double[bins - 1];
      for (int q = 1; q < bins; q++) {
        cuts[q - 1] = quantile(present, (double) q / bins);
      }
      edges = Arrays.stream(cuts).distinct().toArray();
    }
    long[] counts = new long[edges.length + 1];
    double sum = 0;
    for (double v : present) {
      counts[bin(edges, v)]++;
      sum += v;
    }
    double mean = sum / n;
    double squares = 0;
    for (double v : present) {
      squares += (v - mean) * (v - mean);
    }
    double[] quantiles = new double[QUANTILE_LEVELS.length];
    for (int i = 0; i < quantiles.length; i++) {
      quantiles[i] = quantile(present, QUANTILE_LEVELS[i]);
    }
    return new FeatureReference(
        name,
        edges,
        counts,
        missing,
        n,
        mean,
        n > 1 ? Math.sqrt(squares / (n - 1)) : 0.0,
        present[0],
        present[n - 1],
        quantiles,
        List.of());
  }

  /** Linear interpolation between order statistics (NumPy's default, Hyndman-Fan type 7). */
  static double quantile(double[] sorted, double level) {
    double position = level * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }

  private static int bin(double[] edges, double value) {
    int found = Arrays.binarySearch(edges, value);
    // An exact edge starts its bin; otherwise the insertion point counts the edges below.
    return found >= 0 ? found + 1 : -found - 1;
  }

  /**
   * The histogram bin of {@code value} on these edges, or -1 if it is missing (NaN). The value is
   * rounded to float first: XGBoost sees features as floats and training profiles are computed from
   * them, so a serving 0.1 (double) must land where the training 0.1f did.
   */
  public int binOf(double value) {
    return Double.isNaN(value) ? -1 : bin(edges, (float) value);
  }

  public String name() {
    return name;
  }

  /** The bin edges, strictly increasing; {@code numBins() == edges().length + 1}. */
  public double[] edges() {
    return edges.clone();
  }

  public int numBins() {
    return counts.length;
  }

  /** Training rows per bin (non-missing values only). */
  public long[] counts() {
    return counts.clone();
  }

  /** Each bin's share of the non-missing training values (all 0 if every value was missing). */
  public double[] proportions() {
    double[] shares = new double[counts.length];
    for (int i = 0; i < shares.length; i++) {
      shares[i] = count == 0 ? 0 : (double) counts[i] / count;
    }
    return shares;
  }

  /** Training rows where the value was missing. */
  public long missing() {
    return missing;
  }

  /** Training rows where the value was present. */
  public long count() {
    return count;
  }

  /** Share of training rows where the value was missing. */
  public double missingShare() {
    return count + missing == 0 ? 0 : (double) missing / (count + missing);
  }

  /** Mean of the present values; NaN if none. */
  public double mean() {
    return mean;
  }

  /** Sample standard deviation (n - 1) of the present values; 0 for one value, NaN for none. */
  public double stdDev() {
    return stdDev;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  /** The quantile at one of {@link #QUANTILE_LEVELS}. */
  public double quantile(double level) {
    for (int i = 0; i < QUANTILE_LEVELS.length; i++) {
      if (QUANTILE_LEVELS[i] == level) {
        return quantiles[i];
      }
    }
    throw new IllegalArgumentException(
        "No quantile at " + level + "; kept: " + Arrays.toString(QUANTILE_LEVELS));
  }

  /** Quantile level to value, in {@link #QUANTILE_LEVELS} order. */
  public Map<Double, Double> quantiles() {
    Map<Double, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < QUANTILE_LEVELS.length; i++) {
      map.put(QUANTILE_LEVELS[i], quantiles[i]);
    }
    return map;
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("name", name);
    Arrays.stream(edges).forEach(node.putArray("edges")::add);
    Arrays.stream(counts).forEach(node.putArray("counts")::add);
    node.put("missing", missing);
    node.put("count", count);
    putNumber(node, "mean", mean);
    putNumber(node, "stdDev", stdDev);
    putNumber(node, "min", min);
    putNumber(node, "max", max);
    ObjectNode quantileNode = node.putObject("quantiles");
    for (int i = 0; i < QUANTILE_LEVELS.length; i++) {
      putNumber(quantileNode, Double.toString(QUANTILE_LEVELS[i]), quantiles[i]);
    }
    if (isCategorical()) {
      categories.forEach(node.putArray("categories")::add);
    }
    return node;
  }

  static FeatureReference fromJson(JsonNode node) {
    String name = required(node, "name").asText();
    double[] edges = doubles(required(node, "edges"));
    long[] counts = new long[required(node, "counts").size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = node.get("counts").get(i).asLong();
    }
    JsonNode quantileNode = required(node, "quantiles");
    double[] quantiles = new double[QUANTILE_LEVELS.length];
    for (int i = 0; i < quantiles.length; i++) {
      quantiles[i] = number(quantileNode, Double.toString(QUANTILE_LEVELS[i]));
    }
    return new FeatureReference(
        name,
        edges,
        counts,
        required(node, "missing").asLong(),
        required(node, "count").asLong(),
        number(node, "mean"),
        number(node, "stdDev"),
        number(node, "min"),
        number(node, "max"),
        quantiles,
        categories(node.path("categories")));
  }

  private static List<String> categories(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  /** JSON has no NaN: a statistic of no values is written as null. */
  private static void putNumber(ObjectNode node, String field, double value) {
    if (Double.isNaN(value)) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  private static double number(JsonNode node, String field) {
    JsonNode value = required(node, field);
    return value.isNull() ? Double.NaN : value.asDouble();
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw new IllegalArgumentException("reference profile: '" + field + "' is missing");
    }
    return value;
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asDouble();
    }
    return values;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof FeatureReference)) {
      return false;
    }
    FeatureReference that = (FeatureReference) other;
    return name.equals(that.name)
        && Arrays.equals(edges, that.edges)
        && Arrays.equals(counts, that.counts)
        && missing == that.missing
        && count == that.count
        && Double.compare(mean, that.mean) == 0
        && Double.compare(stdDev, that.stdDev) == 0
        && Double.compare(min, that.min) == 0
        && Double.compare(max, that.max) == 0
        && Arrays.equals(quantiles, that.quantiles)
        && categories.equals(that.categories);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return String.format(
        "%s: n=%d missing=%d mean=%.4g sd=%.4g min=%.4g p50=%.4g max=%.4g bins=%d",
        name, count, missing, mean, stdDev, min, quantile(0.5), max, numBins());
  }
}
