package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.DriftSpec;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When a drift measurement warns or says drift: per metric, defaults users know from other drift
 * tools (PSI 0.1 warn / 0.25 drift; Jensen-Shannon distance 0.1; normalized Wasserstein 0.1; for
 * categorical fields L-infinity 0.1 warn / 0.2 drift), overridable for all columns or one column. A
 * window with fewer present values than {@link #minCount()} gets {@code INSUFFICIENT_DATA}: on a
 * 10-bin histogram of 100 values, sampling noise alone gives a Jensen-Shannon distance near 0.1.
 */
public final class DriftThresholds implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Metrics with thresholds, as named in DriftMetric rows. */
  public static final List<String> METRICS = DriftSpec.METRICS;

  public static final long DEFAULT_MIN_COUNT = 500;

  private final Map<String, double[]> defaults;
  private final Map<String, Map<String, double[]>> perColumn;
  private final long minCount;

  private DriftThresholds(
      Map<String, double[]> defaults, Map<String, Map<String, double[]>> perColumn, long minCount) {
    this.defaults = defaults;
    this.perColumn = perColumn;
    this.minCount = minCount;
  }

  public static DriftThresholds defaults() {
    Map<String, double[]> defaults = new HashMap<>();
    defaults.put(DriftMetric.PSI, new double[] {0.1, 0.25});
    defaults.put(DriftMetric.JS_DISTANCE, new double[] {0.1, 0.1});
    defaults.put(DriftMetric.WASSERSTEIN_NORMALIZED, new double[] {0.1, 0.1});
    // A category's share moving by 10 points warns, by 20 drifts.
    defaults.put(DriftMetric.L_INFINITY, new double[] {0.1, 0.2});
    return new DriftThresholds(defaults, new HashMap<>(), DEFAULT_MIN_COUNT);
  }

  /** The defaults with a use-case spec's drift thresholds (all features, then single ones). */
  public static DriftThresholds fromSpec(DriftSpec spec) {
    DriftThresholds thresholds = defaults();
    for (Map.Entry<String, DriftSpec.Levels> e : spec.thresholds().entrySet()) {
      thresholds = thresholds.with(e.getKey(), e.getValue().warn(), e.getValue().drift());
    }
    for (Map.Entry<String, Map<String, DriftSpec.Levels>> feature :
        spec.featureThresholds().entrySet()) {
      for (Map.Entry<String, DriftSpec.Levels> e : feature.getValue().entrySet()) {
        thresholds =
            thresholds.withForColumn(
                feature.getKey(), e.getKey(), e.getValue().warn(), e.getValue().drift());
      }
    }
    return thresholds;
  }

  /** Sets {@code metric}'s warn and drift levels for every column (infinity turns it off). */
  public DriftThresholds with(String metric, double warn, double drift) {
    checkLevels(metric, warn, drift);
    Map<String, double[]> copy = new HashMap<>(defaults);
    copy.put(metric, new double[] {warn, drift});
    return new DriftThresholds(copy, perColumn, minCount);
  }

  /** Sets {@code metric}'s levels for {@code column} only. */
  public DriftThresholds withForColumn(String column, String metric, double warn, double drift) {
    checkLevels(metric, warn, drift);
    Map<String, Map<String, double[]>> copy = new HashMap<>(perColumn);
    Map<String, double[]> levels = new HashMap<>(copy.getOrDefault(column, Map.of()));
    levels.put(metric, new double[] {warn, drift});
    copy.put(column, levels);
    return new DriftThresholds(defaults, copy, minCount);
  }

  public DriftThresholds withMinCount(long minCount) {
    checkArgument(minCount >= 1, "minCount must be at least 1, got %s", minCount);
    return new DriftThresholds(defaults, perColumn, minCount);
  }

  public long minCount() {
    return minCount;
  }

  /** {@code metric}'s warn level for {@code column}. */
  public double warn(String column, String metric) {
    return levels(column, metric)[0];
  }

  /** {@code metric}'s drift level for {@code column}. */
  public double drift(String column, String metric) {
    return levels(column, metric)[1];
  }

  private double[] levels(String column, String metric) {
    double[] levels = perColumn.getOrDefault(column, Map.of()).get(metric);
    return levels != null ? levels : defaults.get(metric);
  }

  private static void checkLevels(String metric, double warn, double drift) {
    checkArgument(
        METRICS.contains(metric), "no thresholds for metric '%s'; have %s", metric, METRICS);
    checkArgument(
        warn >= 0 && drift >= warn,
        "%s: need 0 <= warn <= drift, got warn %s, drift %s",
        metric,
        warn,
        drift);
  }
}
