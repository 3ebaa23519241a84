package io.streamml.transforms.features;

import static io.streamml.transforms.features.FeatureTestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.Aggregation;
import io.streamml.schemas.features.FeatureDefinition;
import io.streamml.schemas.features.FeatureFilter;
import io.streamml.schemas.features.FeatureSetSpec;
import io.streamml.schemas.features.WindowSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** Every aggregation against values computed independently here. */
class FeatureAccumulatorTest {

  private static final FeatureSetSpec FEATURES =
      FeatureSetSpec.perWindow(
          WindowSpec.tumbling(3600),
          FeatureDefinition.of("count", Aggregation.COUNT, null),
          FeatureDefinition.of("sum", Aggregation.SUM, "amount"),
          FeatureDefinition.of("mean", Aggregation.MEAN, "amount"),
          FeatureDefinition.of("min", Aggregation.MIN, "amount"),
          FeatureDefinition.of("max", Aggregation.MAX, "amount"),
          FeatureDefinition.of("std", Aggregation.STDDEV, "amount"),
          FeatureDefinition.of("countries", Aggregation.DISTINCT_COUNT, "country"),
          FeatureDefinition.of("last", Aggregation.LAST, "amount"),
          FeatureDefinition.of("since", Aggregation.TIME_SINCE_PREVIOUS, null),
          FeatureDefinition.of("decayed", Aggregation.DECAYED_COUNT, null).withHalfLifeSeconds(600),
          FeatureDefinition.of("decayed_sum", Aggregation.DECAYED_SUM, "amount")
              .withHalfLifeSeconds(600),
          FeatureDefinition.of("online", Aggregation.COUNT, null)
              .withFilter(FeatureFilter.fieldEquals("channel", "online")),
          FeatureDefinition.of("value", Aggregation.VALUE, "amount"),
          FeatureDefinition.of("log", Aggregation.LOG, "amount"),
          FeatureDefinition.indicator("is_online", FeatureFilter.fieldEquals("channel", "online")),
          FeatureDefinition.ratio("value_to_mean", "value", "mean"));

  private static final UseCaseSpec SPEC = FeatureTestEvents.spec(FEATURES);

  private static List<Row> randomEvents(int n, long seed) {
    Random random = new Random(seed);
    List<Row> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(
          event(
              SPEC,
              "e" + i,
              "c1",
              Math.round(random.nextDouble() * 10000) / 100.0,
              new String[] {"DE", "FR", "GB"}[random.nextInt(3)],
              random.nextBoolean() ? "online" : "pos",
              random.nextInt(3000)));
    }
    return events;
  }

  private static Row extract(FeatureAccumulator accumulator, long atSeconds) {
    return accumulator.extract(
        FeatureVector.featuresSchema(FEATURES),
        FeatureTestEvents.T0.getMillis() + atSeconds * 1000,
        false);
  }

  @Test
  void eachAggregationMatchesADirectComputation() {
    List<Row> events = randomEvents(200, 1);
    FeatureAccumulator accumulator = new FeatureAccumulator(SPEC);
    events.forEach(accumulator::add);
    Row values = extract(accumulator, 3600);

    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    long online = 0;
    double decayed = 0;
    double decayedSum = 0;
    Row latest = events.get(0);
    java.util.Set<String> countries = new java.util.HashSet<>();
    List<Long> times = new ArrayList<>();
    for (Row e : events) {
      double amount = e.getDouble("amount");
      sum += amount;
      min = Math.min(min, amount);
      max = Math.max(max, amount);
      online += e.getString("channel").equals("online") ? 1 : 0;
      countries.add(e.getString("country"));
      long t = e.getDateTime("time").getMillis();
      times.add(t);
      double age = (FeatureTestEvents.T0.getMillis() + 3_600_000 - t) / 1000.0;
      decayed += Math.pow(0.5, age / 600);
      decayedSum += amount * Math.pow(0.5, age / 600);
      long latestTime = latest.getDateTime("time").getMillis();
      if (t > latestTime
          || (t == latestTime && e.getString("id").compareTo(latest.getString("id")) > 0)) {
        latest = e;
      }
    }
    double mean = sum / events.size();
    double squares = 0;
    for (Row e : events) {
      squares += Math.pow(e.getDouble("amount") - mean, 2);
    }
    times.sort(null);
    long lastTime = times.get(times.size() - 1);

    assertEquals(200.0, values.getDouble("count"));
    assertEquals(sum, values.getDouble("sum"), 1e-9);
    assertEquals(mean, values.getDouble("mean"), 1e-9);
    assertEquals(min, values.getDouble("min"));
    assertEquals(max, values.getDouble("max"));
    assertEquals(Math.sqrt(squares / events.size()), values.getDouble("std"), 1e-9);
    assertEquals(countries.size(), values.getDouble("countries"));
    assertEquals(online, values.getDouble("online"));
    assertEquals(
        (FeatureTestEvents.T0.getMillis() + 3_600_000 - lastTime) / 1000.0,
        values.getDouble("since"));
    assertEquals(decayed, values.getDouble("decayed"), 1e-9);
    assertEquals(decayedSum, values.getDouble("decayed_sum"), 1e-6);
    assertEquals(latest.getDouble("amount"), values.getDouble("value"));
    assertEquals(Math.log1p(latest.getDouble("amount")), values.getDouble("log"), 1e-12);
    assertEquals(
        latest.getString("channel").equals("online") ? 1.0 : 0.0, values.getDouble("is_online"));
    assertEquals(latest.getDouble("amount") / mean, values.getDouble("value_to_mean"), 1e-12);
  }

  @Test
  void mergingPartialsInAnyOrderGivesTheSameValues() {
    List<Row> events = randomEvents(300, 2);
    FeatureAccumulator whole = new FeatureAccumulator(SPEC);
    events.forEach(whole::add);
    FeatureAccumulator merged = new FeatureAccumulator(SPEC);
    for (int part = 2; part >= 0; part--) {
      FeatureAccumulator partial = new FeatureAccumulator(SPEC);
      events.subList(part * 100, part * 100 + 100).forEach(partial::add);
      merged.merge(partial);
    }

    Row expected = extract(whole, 3600);
    Row actual = extract(merged, 3600);
    for (String name : FEATURES.names()) {
      assertEquals(expected.getDouble(name), actual.getDouble(name), 1e-9, name);
    }
  }

  @Test
  void emptyWindowGivesZeroCountsAndMissingStatistics() {
    Row values = extract(new FeatureAccumulator(SPEC), 10);

    assertEquals(0.0, values.getDouble("count"));
    assertEquals(0.0, values.getDouble("sum"));
    assertNull(values.getDouble("mean"));
    assertNull(values.getDouble("min"));
    assertNull(values.getDouble("since"));
    assertNull(values.getDouble("value"));
    assertNull(values.getDouble("value_to_mean"));
  }

  @Test
  void distinctCountSwitchesToASketchAboveTheBoundAndStaysClose() {
    FeatureSetSpec features =
        new FeatureSetSpec(
            FeatureSetSpec.Shape.PER_WINDOW,
            WindowSpec.tumbling(60),
            null,
            100,
            List.of(FeatureDefinition.of("ids", Aggregation.DISTINCT_COUNT, "id")));
    UseCaseSpec spec = FeatureTestEvents.spec(features);
    FeatureAccumulator left = new FeatureAccumulator(spec);
    FeatureAccumulator right = new FeatureAccumulator(spec);
    for (int i = 0; i < 5_000; i++) {
      (i % 2 == 0 ? left : right).add(event(spec, "id-" + (i % 4_000), "c", 1, "DE", "pos", 1));
    }
    left.merge(right);

    double estimate =
        left.extract(FeatureVector.featuresSchema(features), 0, false).getDouble("ids");
    assertEquals(4_000, estimate, 4_000 * 0.05, "HLL estimate within 5%");
  }
}
