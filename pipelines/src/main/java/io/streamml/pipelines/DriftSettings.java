package io.streamml.pipelines;

import io.streamml.pipelines.options.DriftOptions;
import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.DriftSpec;
import io.streamml.transforms.drift.DriftThresholds;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The drift settings of a run: the use-case spec's {@code drift} section with the flags that were
 * given laid over it. A threshold flag sets that level for every feature; single features' levels
 * from the spec stay, being more specific.
 */
public final class DriftSettings {

  /** Share of drifted features at which a window has drifted, when neither spec nor flag says. */
  public static final double DEFAULT_DATASET_DRIFT_SHARE = 0.5;

  private final DriftSpec spec;
  private final long minCount;

  private DriftSettings(DriftSpec spec, long minCount) {
    this.spec = spec;
    this.minCount = minCount;
  }

  public static DriftSettings of(DriftOptions options, @Nullable DriftSpec fromSpec) {
    DriftSpec spec = fromSpec == null ? DriftSpec.defaults() : fromSpec;
    DriftThresholds defaults = DriftThresholds.fromSpec(spec);
    if (options.getPsiWarn() != null || options.getPsiDrift() != null) {
      double warn = orElse(options.getPsiWarn(), defaults.warn("", DriftMetric.PSI));
      double drift = orElse(options.getPsiDrift(), defaults.drift("", DriftMetric.PSI));
      spec = spec.withThreshold(DriftMetric.PSI, Math.min(warn, drift), drift);
    }
    if (options.getJsDrift() != null) {
      spec =
          spec.withThreshold(DriftMetric.JS_DISTANCE, options.getJsDrift(), options.getJsDrift());
    }
    if (options.getWassersteinDrift() != null) {
      spec =
          spec.withThreshold(
              DriftMetric.WASSERSTEIN_NORMALIZED,
              options.getWassersteinDrift(),
              options.getWassersteinDrift());
    }
    if (options.getDatasetDriftShare() != null) {
      spec = spec.withDatasetDriftShare(options.getDatasetDriftShare());
    }
    if (options.getSegmentField() != null) {
      spec = spec.withSegmentField(options.getSegmentField());
    }
    return new DriftSettings(spec, options.getMinWindowCount());
  }

  private static double orElse(@Nullable Double value, double otherwise) {
    return value == null ? otherwise : value;
  }

  public DriftThresholds thresholds() {
    return DriftThresholds.fromSpec(spec).withMinCount(minCount);
  }

  public double datasetDriftShare() {
    return spec.datasetDriftShare() == null
        ? DEFAULT_DATASET_DRIFT_SHARE
        : spec.datasetDriftShare();
  }

  public @Nullable String segmentField() {
    return spec.segmentField();
  }
}
