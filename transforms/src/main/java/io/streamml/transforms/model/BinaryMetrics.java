package io.streamml.transforms.model;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holdout metrics of a binary classifier from its scores and 0/1 labels: AUC-ROC (with ties
 * averaged), AUC-PR (average precision), log loss, and precision/recall at a threshold. Pure Java,
 * so they are checked against hand-worked examples.
 */
public final class BinaryMetrics {

  private static final double EPSILON = 1e-15;

  private BinaryMetrics() {}

  /** Area under the ROC curve: the chance a random positive scores above a random negative. */
  public static double aucRoc(float[] scores, float[] labels) {
    Integer[] order = sortedByScore(scores);
    double positives = 0;
    double rankSum = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] > 0.5) {
          positives++;
          rankSum += averageRank;
        }
      }
      i = j + 1;
    }
    double negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
  }

  /** Average precision: the mean of the precision at each positive, ranked by score. */
  public static double aucPr(float[] scores, float[] labels) {
    Integer[] order = sortedByScore(scores);
    double positives = 0;
    for (float label : labels) {
      positives += label > 0.5 ? 1 : 0;
    }
    if (positives == 0) {
      return Double.NaN;
    }
    double truePositives = 0;
    double sum = 0;
    for (int rank = order.length - 1, seen = 1; rank >= 0; rank--, seen++) {
      if (labels[order[rank]] > 0.5) {
        truePositives++;
        sum += truePositives / seen;
      }
    }
    return sum / positives;
  }

  public static double logLoss(float[] scores, float[] labels) {
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      double p = Math.min(1 - EPSILON, Math.max(EPSILON, scores[i]));
      sum += labels[i] > 0.5 ? -Math.log(p) : -Math.log(1 - p);
    }
    return sum / scores.length;
  }

  /** {precision, recall} of alerting on scores at or above {@code threshold}. */
  public static double[] precisionRecall(float[] scores, float[] labels, double threshold) {
    double alerts = 0;
    double truePositives = 0;
    double positives = 0;
    for (int i = 0; i < scores.length; i++) {
      boolean positive = labels[i] > 0.5;
      positives += positive ? 1 : 0;
      if (scores[i] >= threshold) {
        alerts++;
        truePositives += positive ? 1 : 0;
      }
    }
    return new double[] {
      alerts == 0 ? Double.NaN : truePositives / alerts,
      positives == 0 ? Double.NaN : truePositives / positives
    };
  }

  /** The threshold that alerts on the top {@code alertRate} share of scores. */
  public static double thresholdForAlertRate(float[] scores, double alertRate) {
    float[] sorted = scores.clone();
    Arrays.sort(sorted);
    int alerts = (int) Math.max(1, Math.round(alertRate * sorted.length));
    return sorted[Math.max(0, sorted.length - alerts)];
  }

  /**
   * The lowest threshold whose alerts have at least {@code targetPrecision} (so recall is as high
   * as that precision allows), or NaN if no threshold reaches it.
   */
  public static double thresholdForPrecision(
      float[] scores, float[] labels, double targetPrecision) {
    Integer[] order = sortedByScore(scores);
    double alerts = 0;
    double truePositives = 0;
    double best = Double.NaN;
    for (int rank = order.length - 1; rank >= 0; rank--) {
      alerts++;
      truePositives += labels[order[rank]] > 0.5 ? 1 : 0;
      boolean lastOfTies = rank == 0 || scores[order[rank - 1]] != scores[order[rank]];
      if (lastOfTies && truePositives / alerts >= targetPrecision) {
        best = scores[order[rank]];
      }
    }
    return best;
  }

  private static Integer[] sortedByScore(float[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    return order;
  }
}
