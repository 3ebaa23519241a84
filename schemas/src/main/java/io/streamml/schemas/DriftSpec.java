package io.streamml.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How a use case's drift is judged, declared in its spec ({@code "drift": {...}}): thresholds per
 * metric for every feature, thresholds per metric for single features, the segment field drift is
 * also measured per value of, and the share of drifted features at which a window has drifted.
 * Every part is optional; what is left out keeps the defaults (PSI 0.1 warn / 0.25 drift,
 * Jensen-Shannon distance 0.1, normalized Wasserstein 0.1, share 0.5). Flags of {@code drift}
 * override the all-features levels and the segment.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"segmentField", "datasetDriftShare", "thresholds", "featureThresholds"})
public final class DriftSpec implements Serializable {

  /** Metrics that take thresholds, as named in DriftMetric rows. */
  public static final List<String> METRICS =
      List.of(
          DriftMetric.PSI,
          DriftMetric.JS_DISTANCE,
          DriftMetric.WASSERSTEIN_NORMALIZED,
          DriftMetric.L_INFINITY);

  private final @Nullable String segmentField;
  private final @Nullable Double datasetDriftShare;
  private final Map<String, Levels> thresholds;
  private final Map<String, Map<String, Levels>> featureThresholds;

  @JsonCreator
  public DriftSpec(
      @JsonProperty("segmentField") @Nullable String segmentField,
      @JsonProperty("datasetDriftShare") @Nullable Double datasetDriftShare,
      @JsonProperty("thresholds") @Nullable Map<String, Levels> thresholds,
      @JsonProperty("featureThresholds") @Nullable Map<String, Map<String, Levels>> features) {
    if (datasetDriftShare != null && !(datasetDriftShare > 0 && datasetDriftShare <= 1)) {
      throw new IllegalArgumentException(
          "drift: datasetDriftShare must be in (0, 1], got " + datasetDriftShare);
    }
    this.segmentField = segmentField;
    this.datasetDriftShare = datasetDriftShare;
    this.thresholds = copy(thresholds == null ? Map.of() : thresholds, "drift.thresholds");
    Map<String, Map<String, Levels>> perFeature = new LinkedHashMap<>();
    if (features != null) {
      features.forEach(
          (feature, levels) ->
              perFeature.put(feature, copy(levels, "drift.featureThresholds." + feature)));
    }
    this.featureThresholds = perFeature;
  }

  private static Map<String, Levels> copy(Map<String, Levels> levels, String where) {
    Map<String, Levels> copy = new LinkedHashMap<>();
    levels.forEach(
        (metric, level) -> {
          if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException(
                where + ": no thresholds for metric '" + metric + "'; metrics are " + METRICS);
          }
          copy.put(metric, Objects.requireNonNull(level, where + "." + metric));
        });
    return copy;
  }

  public static DriftSpec defaults() {
    return new DriftSpec(null, null, null, null);
  }

  public DriftSpec withSegmentField(@Nullable String field) {
    return new DriftSpec(field, datasetDriftShare, thresholds, featureThresholds);
  }

  public DriftSpec withDatasetDriftShare(double share) {
    return new DriftSpec(segmentField, share, thresholds, featureThresholds);
  }

  /** {@code metric}'s levels for every feature. */
  public DriftSpec withThreshold(String metric, double warn, double drift) {
    Map<String, Levels> copy = new LinkedHashMap<>(thresholds);
    copy.put(metric, new Levels(warn, drift));
    return new DriftSpec(segmentField, datasetDriftShare, copy, featureThresholds);
  }

  /** {@code metric}'s levels for {@code feature} only. */
  public DriftSpec withFeatureThreshold(String feature, String metric, double warn, double drift) {
    Map<String, Map<String, Levels>> copy = new LinkedHashMap<>(featureThresholds);
    Map<String, Levels> levels = new LinkedHashMap<>(copy.getOrDefault(feature, Map.of()));
    levels.put(metric, new Levels(warn, drift));
    copy.put(feature, levels);
    return new DriftSpec(segmentField, datasetDriftShare, thresholds, copy);
  }

  @JsonProperty("segmentField")
  public @Nullable String segmentField() {
    return segmentField;
  }

  @JsonProperty("datasetDriftShare")
  public @Nullable Double datasetDriftShare() {
    return datasetDriftShare;
  }

  @JsonProperty("thresholds")
  public Map<String, Levels> thresholds() {
    return thresholds;
  }

  @JsonProperty("featureThresholds")
  public Map<String, Map<String, Levels>> featureThresholds() {
    return featureThresholds;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof DriftSpec)) {
      return false;
    }
    DriftSpec that = (DriftSpec) o;
    return Objects.equals(segmentField, that.segmentField)
        && Objects.equals(datasetDriftShare, that.datasetDriftShare)
        && thresholds.equals(that.thresholds)
        && featureThresholds.equals(that.featureThresholds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(segmentField, datasetDriftShare, thresholds, featureThresholds);
  }

  /** A metric's warn and drift levels; a missing warn level equals the drift level. */
  @JsonPropertyOrder({"warn", "drift"})
  public static final class Levels implements Serializable {
    private final double warn;
    private final double drift;

    @JsonCreator
    public Levels(
        @JsonProperty("warn") @Nullable Double warn,
        @JsonProperty(value = "drift", required = true) Double drift) {
      if (drift == null) {
        throw new IllegalArgumentException("a threshold needs a 'drift' level");
      }
      double w = warn == null ? drift : warn;
      if (!(w >= 0 && drift >= w)) {
        throw new IllegalArgumentException(
            "thresholds need 0 <= warn <= drift, got warn " + w + ", drift " + drift);
      }
      this.warn = w;
      this.drift = drift;
    }

    @JsonProperty("warn")
    public double warn() {
      return warn;
    }

    @JsonProperty("drift")
    public double drift() {
      return drift;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Levels && ((Levels) o).warn == warn && ((Levels) o).drift == drift;
    }

    @Override
    public int hashCode() {
      return Objects.hash(warn, drift);
    }

    @Override
    public String toString() {
      return "warn " + warn + ", drift " + drift;
    }
  }
}
