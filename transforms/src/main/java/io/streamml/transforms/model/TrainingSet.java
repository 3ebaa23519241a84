package io.streamml.transforms.model;

import io.streamml.schemas.FeatureVector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * Labelled feature vectors as dense float rows in feature-name order (missing = NaN, which XGBoost
 * treats as missing), sorted by feature time so it can be split by time, never at random.
 */
public final class TrainingSet {

  private final List<String> featureNames;
  private final float[] values;
  private final float[] labels;
  private final long[] times;

  private TrainingSet(List<String> featureNames, float[] values, float[] labels, long[] times) {
    this.featureNames = List.copyOf(featureNames);
    this.values = values;
    this.labels = labels;
    this.times = times;
  }

  /** The labelled vectors among {@code vectors} (unlabelled ones are skipped), in time order. */
  public static TrainingSet fromVectors(List<String> featureNames, List<Row> vectors) {
    List<Row> labelled = new ArrayList<>();
    for (Row vector : vectors) {
      if (vector.getDouble(FeatureVector.LABEL) != null) {
        labelled.add(vector);
      }
    }
    labelled.sort(
        Comparator.comparingLong((Row v) -> v.getDateTime(FeatureVector.FEATURE_TIME).getMillis())
            .thenComparing(v -> String.valueOf((Object) v.getValue(FeatureVector.KEY))));
    int n = labelled.size();
    int d = featureNames.size();
    float[] values = new float[n * d];
    float[] labels = new float[n];
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      Row vector = labelled.get(i);
      Row features = vector.getRow(FeatureVector.FEATURES);
      for (int j = 0; j < d; j++) {
        Double value = features.getDouble(featureNames.get(j));
        values[i * d + j] = value == null ? Float.NaN : value.floatValue();
      }
      labels[i] = vector.getDouble(FeatureVector.LABEL).floatValue();
      times[i] = vector.getDateTime(FeatureVector.FEATURE_TIME).getMillis();
    }
    return new TrainingSet(featureNames, values, labels, times);
  }

  /** Rows {@code [from, to)} as their own set. */
  public TrainingSet slice(int from, int to) {
    int d = featureNames.size();
    float[] sliceValues = new float[(to - from) * d];
    System.arraycopy(values, from * d, sliceValues, 0, sliceValues.length);
    float[] sliceLabels = new float[to - from];
    System.arraycopy(labels, from, sliceLabels, 0, sliceLabels.length);
    long[] sliceTimes = new long[to - from];
    System.arraycopy(times, from, sliceTimes, 0, sliceTimes.length);
    return new TrainingSet(featureNames, sliceValues, sliceLabels, sliceTimes);
  }

  /** The index where the later {@code holdoutShare} of rows (by time) begins. */
  public int holdoutStart(double holdoutShare) {
    return (int) Math.round(size() * (1 - holdoutShare));
  }

  public int size() {
    return labels.length;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  /** Row-major dense values, {@code size() * featureNames().size()} of them. */
  public float[] values() {
    return values;
  }

  public float[] labels() {
    return labels;
  }

  public long firstTime() {
    return times.length == 0 ? 0 : times[0];
  }

  public long lastTime() {
    return times.length == 0 ? 0 : times[times.length - 1];
  }

  public double positiveShare() {
    double positives = 0;
    for (float label : labels) {
      positives += label > 0.5 ? 1 : 0;
    }
    return labels.length == 0 ? 0 : positives / labels.length;
  }
}
