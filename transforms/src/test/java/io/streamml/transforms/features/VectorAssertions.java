package io.streamml.transforms.features;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import io.streamml.schemas.FeatureVector;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;

/** Compares feature vectors by event id, features within a relative 1e-9. */
final class VectorAssertions {

  private VectorAssertions() {}

  static SerializableFunction<Iterable<Row>, Void> matchesReference(Iterable<Row> expected) {
    return actual -> {
      Map<String, Row> byId = new HashMap<>();
      actual.forEach(v -> byId.put(idOf(v), v));
      int count = 0;
      for (Row want : expected) {
        count++;
        Row got = byId.get(idOf(want));
        assertNotNull("no vector for " + idOf(want), got);
        assertEquals(want.getString(FeatureVector.KEY), got.getString(FeatureVector.KEY));
        assertEquals(
            want.getDateTime(FeatureVector.FEATURE_TIME),
            got.getDateTime(FeatureVector.FEATURE_TIME));
        assertEquals(want.getDouble(FeatureVector.LABEL), got.getDouble(FeatureVector.LABEL));
        Row wantFeatures = want.getRow(FeatureVector.FEATURES);
        Row gotFeatures = got.getRow(FeatureVector.FEATURES);
        for (String name : wantFeatures.getSchema().getFieldNames()) {
          Double w = wantFeatures.getDouble(name);
          Double g = gotFeatures.getDouble(name);
          String where = idOf(want) + "." + name;
          if (w == null) {
            assertNull(where, g);
          } else {
            assertNotNull(where, g);
            assertEquals(where, w, g, 1e-9 * Math.max(1, Math.abs(w)));
          }
        }
      }
      assertEquals("vectors", count, byId.size());
      return null;
    };
  }

  /** A vector's identity: its key and feature time (a per-window vector's event id is shared). */
  private static String idOf(Row vector) {
    return vector.getString(FeatureVector.KEY)
        + "@"
        + vector.getDateTime(FeatureVector.FEATURE_TIME)
        + "@"
        + vector.getString(FeatureVector.EVENT_ID);
  }
}
