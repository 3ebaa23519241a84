package io.streamml.transforms.scoring;

import static org.junit.Assert.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Path contributions against xgboost4j's exact SHAP values of the same rows and model. */
@RunWith(JUnit4.class)
public class ApproximateContributionsTest {

  private static final int ROWS = 600;
  private static final int D = ScoringFixtures.FEATURES.size();

  @Test
  public void eachRowsContributionsAddUpToWhatItsShapValuesAddUpTo() throws Exception {
    // Both add up to the row's margin less the trees' expected value, so a row sent down a wrong
    // branch anywhere in 30 trees of depth 4 would show here.
    Booster booster = ScoringFixtures.train(30, false);
    try {
      float[] values = ScoringFixtures.dense(ScoringFixtures.vectors(ROWS, 42));
      float[][] exact = shap(booster, values);
      float[][] approximate =
          ApproximateContributions.of(booster, ScoringFixtures.FEATURES).of(values, ROWS);
      for (int i = 0; i < ROWS; i++) {
        assertEquals("row " + i, sum(exact[i]), sum(approximate[i]), 1e-4);
        assertEquals("row " + i, exact[i].length, approximate[i].length);
      }
    } finally {
      booster.dispose();
    }
  }

  @Test
  public void treesOfOneSplitGetExactlyTheirShapValues() throws Exception {
    Booster booster = trainStumps(ScoringFixtures.vectors(2000, 7));
    try {
      float[] values = ScoringFixtures.dense(ScoringFixtures.vectors(ROWS, 42));
      float[][] exact = shap(booster, values);
      float[][] approximate =
          ApproximateContributions.of(booster, ScoringFixtures.FEATURES).of(values, ROWS);
      for (int i = 0; i < ROWS; i++) {
        for (int j = 0; j < D; j++) {
          assertEquals("row " + i + " feature " + j, exact[i][j], approximate[i][j], 1e-5);
        }
      }
    } finally {
      booster.dispose();
    }
  }

  /** The features' contributions, without the bias column. */
  private static double sum(float[] contributions) {
    double total = 0;
    for (int j = 0; j < D; j++) {
      total += contributions[j];
    }
    return total;
  }

  private static float[][] shap(Booster booster, float[] values) throws Exception {
    DMatrix matrix = new DMatrix(values, ROWS, D, Float.NaN);
    try {
      return booster.predictContrib(matrix, 0);
    } finally {
      matrix.dispose();
    }
  }

  private static Booster trainStumps(List<Row> rows) throws Exception {
    float[] x = ScoringFixtures.dense(rows);
    float[] y = new float[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      y[i] = (Float.isNaN(x[i * D]) ? 0 : x[i * D]) > 1.2f ? 1f : 0f;
    }
    DMatrix matrix = new DMatrix(x, rows.size(), D, Float.NaN);
    try {
      matrix.setLabel(y);
      Map<String, Object> params = new HashMap<>();
      params.put("objective", "binary:logistic");
      params.put("max_depth", 1);
      params.put("eta", 0.3);
      params.put("nthread", 1);
      params.put("seed", 1);
      return XGBoost.train(matrix, params, 20, new HashMap<>(), null, null);
    } finally {
      matrix.dispose();
    }
  }
}
