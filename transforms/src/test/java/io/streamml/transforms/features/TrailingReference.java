package io.streamml.transforms.features;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.values.Row;

/**
 * Brute-force per-event features for the test spec of {@link ExtractTrailingFeaturesTest}, written
 * independently of the transform: for each event, scan all events of its key.
 */
final class TrailingReference {

  private TrailingReference() {}

  static List<Row> vectors(UseCaseSpec spec, List<Row> events) {
    List<Row> out = new ArrayList<>();
    for (Row e : events) {
      long t = time(e);
      double count1m = 0;
      double sum1h = 0;
      double n1h = 0;
      Set<String> countries = new HashSet<>();
      long previous = Long.MIN_VALUE;
      for (Row h : events) {
        if (!h.getString("card").equals(e.getString("card")) || !atOrBefore(h, e)) {
          continue;
        }
        long age = t - time(h);
        if (age < 60_000) {
          count1m++;
        }
        if (age < 3_600_000) {
          sum1h += h.getDouble("amount");
          n1h++;
          countries.add(h.getString("country"));
          if (h != e && time(h) > previous) {
            previous = time(h);
          }
        }
      }
      Row features =
          Row.withSchema(FeatureVector.featuresSchema(spec.features()))
              .addValues(
                  count1m,
                  sum1h,
                  sum1h / n1h,
                  (double) countries.size(),
                  previous == Long.MIN_VALUE ? null : (t - previous) / 1000.0,
                  e.getDouble("amount"))
              .build();
      out.add(
          Row.withSchema(FeatureVector.schema(spec))
              .addValues(
                  e.getString("card"),
                  e.getString("id"),
                  e.getDateTime("time"),
                  e.getBoolean("fraud") ? 1.0 : 0.0,
                  features)
              .build());
    }
    return out;
  }

  private static long time(Row event) {
    return event.getDateTime("time").getMillis();
  }

  private static boolean atOrBefore(Row h, Row e) {
    return time(h) < time(e)
        || (time(h) == time(e) && h.getString("id").compareTo(e.getString("id")) <= 0);
  }
}
