package io.streamml.transforms.scoring;

import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One model version's booster, shared by every scoring thread of a JVM through {@link ModelCache};
 * counts its users so the cache can free the native booster once it was evicted and the last batch
 * scored with it is done.
 */
final class LoadedModel {

  private final String folder;
  private final String version;
  private final Booster booster;
  private final List<String> featureNames;
  private final double threshold;
  private @Nullable ApproximateContributions approximate;
  private int users;
  private boolean retired;
  private boolean disposed;

  LoadedModel(
      String folder, String version, Booster booster, List<String> featureNames, double threshold) {
    this.folder = folder;
    this.version = version;
    this.booster = booster;
    this.featureNames = List.copyOf(featureNames);
    this.threshold = threshold;
  }

  String folder() {
    return folder;
  }

  String version() {
    return version;
  }

  List<String> featureNames() {
    return featureNames;
  }

  double threshold() {
    return threshold;
  }

  /**
   * Probabilities of {@code rows} rows of dense features ({@code rows x featureNames().size()}, NaN
   * = missing). In-place prediction from the float array: no DMatrix to build and free, which
   * measured as fast or faster than a DMatrix per batch with xgboost4j 3.0.4 (docs/scoring.md).
   */
  float[] predict(float[] values, int rows) throws XGBoostError {
    float[][] out = booster.inplace_predict(values, rows, featureNames.size(), Float.NaN);
    float[] scores = new float[rows];
    for (int i = 0; i < rows; i++) {
      scores[i] = out[i][0];
    }
    return scores;
  }

  /**
   * SHAP contributions per row: {@code rows x (features + 1)}, the last column the bias. Needs a
   * DMatrix: xgboost4j's in-place prediction does not offer contributions.
   */
  float[][] contributions(float[] values, int rows) throws XGBoostError {
    ml.dmlc.xgboost4j.java.DMatrix matrix =
        new ml.dmlc.xgboost4j.java.DMatrix(values, rows, featureNames.size(), Float.NaN);
    try {
      return booster.predictContrib(matrix, 0);
    } finally {
      matrix.dispose();
    }
  }

  /**
   * Path contributions per row ({@link ApproximateContributions}): {@code rows x (features + 1)},
   * the last column the trees' expected value. No DMatrix, and much cheaper than {@link
   * #contributions}.
   */
  float[][] approximateContributions(float[] values, int rows) throws XGBoostError {
    ApproximateContributions trees;
    synchronized (this) {
      if (approximate == null) {
        approximate = ApproximateContributions.of(booster, featureNames);
      }
      trees = approximate;
    }
    return trees.of(values, rows);
  }

  synchronized void retain() {
    users++;
  }

  synchronized void release() {
    users--;
    disposeIfUnused();
  }

  /** The cache evicted this one: free it as soon as no batch uses it. */
  synchronized void retire() {
    retired = true;
    disposeIfUnused();
  }

  synchronized boolean isDisposed() {
    return disposed;
  }

  private void disposeIfUnused() {
    if (retired && users == 0 && !disposed) {
      disposed = true;
      booster.dispose();
    }
  }
}
