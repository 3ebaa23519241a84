package io.streamml.transforms.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReferenceProfileTest {

  @Test
  void continuousFeatureGetsQuantileBinsOfEqualMass() {
    double[] values = new double[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    FeatureReference ref = FeatureReference.compute("x", values, 10);

    assertEquals(9, ref.edges().length);
    assertEquals(99.9, ref.edges()[0], 1e-9);
    // Open-ended outer bins: nothing below the first edge... only values < 99.9: 0..99.
    assertArrayEquals(new long[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, ref.counts());
    assertEquals(1000, ref.count());
    assertEquals(499.5, ref.mean(), 1e-9);
    assertEquals(Math.sqrt(1000 * 1001 / 12.0), ref.stdDev(), 1e-9);
    assertEquals(0, ref.min());
    assertEquals(999, ref.max());
    assertEquals(499.5, ref.quantile(0.5), 1e-9);
    assertEquals(0, ref.binOf(-1e9));
    assertEquals(9, ref.binOf(1e9));
    assertEquals(-1, ref.binOf(Double.NaN));
  }

  @Test
  void constantFeatureHasOneEdgeAndAllValuesInTheUpperBin() {
    double[] values = new double[50];
    Arrays.fill(values, 3.0);
    FeatureReference ref = FeatureReference.compute("c", values, 10);

    assertArrayEquals(new double[] {3.0}, ref.edges());
    assertArrayEquals(new long[] {0, 50}, ref.counts());
    assertEquals(0.0, ref.stdDev());
  }

  @Test
  void discreteFeatureGetsOneBinPerValueEvenWhenSkewed() {
    double[] values = new double[100];
    for (int i = 95; i < 100; i++) {
      values[i] = 1;
    }
    FeatureReference ref = FeatureReference.compute("flag", values, 10);

    assertArrayEquals(new double[] {0, 1}, ref.edges());
    assertArrayEquals(new long[] {0, 95, 5}, ref.counts());
  }

  @Test
  void servingDoublesFallInTheBinOfTheirTrainingFloats() {
    ReferenceProfile profile =
        ReferenceProfile.compute(
            List.of("risk"), new float[] {0.1f, 0.2f, 0.1f}, new float[] {0, 0, 0}, 10);
    FeatureReference risk = profile.feature("risk");

    assertEquals(1, risk.binOf(0.1));
    assertEquals(2, risk.binOf(0.2));
    assertEquals(0, risk.binOf(0.05));
  }

  @Test
  void skewedContinuousFeatureDeduplicatesEdges() {
    double[] values = new double[1000];
    for (int i = 900; i < 1000; i++) {
      values[i] = i; // 90% zeros, then 100 distinct values
    }
    FeatureReference ref = FeatureReference.compute("amount", values, 10);

    double[] edges = ref.edges();
    for (int i = 1; i < edges.length; i++) {
      assertTrue(edges[i - 1] < edges[i], Arrays.toString(edges));
    }
    assertEquals(0.0, edges[0]);
    assertEquals(1000, Arrays.stream(ref.counts()).sum());
  }

  @Test
  void missingValuesAreCountedApartFromTheHistogram() {
    FeatureReference ref =
        FeatureReference.compute("m", new double[] {1, Double.NaN, 2, Double.NaN}, 10);
    assertEquals(2, ref.missing());
    assertEquals(2, ref.count());
    assertEquals(0.5, ref.missingShare());
    assertEquals(2, Arrays.stream(ref.counts()).sum());

    FeatureReference none = FeatureReference.compute("n", new double[] {Double.NaN}, 10);
    assertEquals(1, none.numBins());
    assertTrue(Double.isNaN(none.mean()));
  }

  private static ReferenceProfile sample() {
    Random random = new Random(7);
    int n = 500;
    float[] values = new float[n * 3];
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      values[i * 3] = (float) random.nextGaussian();
      values[i * 3 + 1] = random.nextInt(3);
      values[i * 3 + 2] = i % 10 == 0 ? Float.NaN : random.nextFloat();
      scores[i] = random.nextFloat();
    }
    return ReferenceProfile.compute(List.of("g", "k", "u"), values, scores, 10);
  }

  @Test
  void profileHasEveryFeatureInOrderAndTheScore() {
    ReferenceProfile profile = sample();

    assertEquals(List.of("g", "k", "u"), profile.featureNames());
    assertEquals(500, profile.rows());
    assertArrayEquals(new double[] {0, 1, 2}, profile.feature("k").edges());
    assertEquals(50, profile.feature("u").missing());
    assertEquals(ReferenceProfile.SCORE, profile.score().name());
    assertEquals(500, profile.score().count());
  }

  @Test
  void jsonRoundTripIsExact() {
    ReferenceProfile profile = sample();
    assertEquals(profile, ReferenceProfile.fromJson(profile.toJson()));
  }

  @Test
  void allMissingFeatureRoundTripsThroughJsonNulls() {
    ReferenceProfile profile =
        ReferenceProfile.compute(
            List.of("gone"), new float[] {Float.NaN, Float.NaN}, new float[] {0.1f, 0.2f}, 10);
    String json = profile.toJson();
    assertTrue(json.contains("\"mean\" : null"), json);
    assertEquals(profile, ReferenceProfile.fromJson(json));
  }

  @Test
  void javaSerializationRoundTrips() throws Exception {
    ReferenceProfile profile = sample();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(profile);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(profile, in.readObject());
    }
  }

  @Test
  void unknownFormatVersionIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReferenceProfile.fromJson("{\"formatVersion\": 9}"));
    assertEquals(
        "reference profile has format version 9; this streamml reads version 1", e.getMessage());
  }
}
