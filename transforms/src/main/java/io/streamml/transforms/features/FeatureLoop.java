package io.streamml.transforms.features;

import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.FeatureSetSpec;
import io.streamml.schemas.features.WindowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * A spec's features over an in-memory list of events, single-threaded and without Beam: the ceiling
 * benchmarks compare {@link WindowedFeatures} against, and a quick way to featurise a sample in a
 * test or a notebook. Sessions are not supported here (per-window tumbling and sliding only);
 * lateness does not apply to a list.
 */
public final class FeatureLoop {

  private FeatureLoop() {}

  /** Hands every feature vector of {@code events} (any order) to {@code out}. */
  public static void computeAll(UseCaseSpec spec, List<Row> events, Consumer<Row> out) {
    if (spec.features().shape() == FeatureSetSpec.Shape.PER_EVENT) {
      perEvent(spec, events, out);
    } else {
      perWindow(spec, events, out);
    }
  }

  private static void perEvent(UseCaseSpec spec, List<Row> events, Consumer<Row> out) {
    TrailingFeatureCalculator calculator = new TrailingFeatureCalculator(spec);
    Map<String, List<Row>> byKey = new HashMap<>();
    for (Row event : events) {
      byKey.computeIfAbsent(event.getString(spec.keyField()), k -> new ArrayList<>()).add(event);
    }
    for (List<Row> keyEvents : byKey.values()) {
      keyEvents.sort(calculator.order());
      for (int i = 0; i < keyEvents.size(); i++) {
        out.accept(calculator.vectorAt(keyEvents, i));
      }
    }
  }

  private static void perWindow(UseCaseSpec spec, List<Row> events, Consumer<Row> out) {
    Map<String, List<Row>> byKey = new HashMap<>();
    for (Row event : events) {
      byKey.computeIfAbsent(event.getString(spec.keyField()), k -> new ArrayList<>()).add(event);
    }
    FeatureVectorRows vectors = new FeatureVectorRows(spec);
    byKey.forEach((key, keyEvents) -> windowsOfKey(spec, vectors, key, keyEvents, out));
  }

  /**
   * The vector of every tumbling or sliding window of one key's events (any order) that holds any
   * of them, stamped at the window's end.
   */
  static void windowsOfKey(
      UseCaseSpec spec,
      FeatureVectorRows vectors,
      String key,
      List<Row> events,
      Consumer<Row> out) {
    WindowSpec window = spec.features().window();
    if (window.type() == WindowSpec.Type.SESSION) {
      throw new UnsupportedOperationException("FeatureLoop does not do session windows");
    }
    long size = window.sizeSeconds() * 1000;
    long period = window.type() == WindowSpec.Type.SLIDING ? window.periodSeconds() * 1000 : size;
    Map<Long, FeatureAccumulator> windows = new HashMap<>();
    for (Row event : events) {
      long time = FeatureAccumulator.timeOf(event, spec.eventTimeField());
      long lastStart = time - Math.floorMod(time, period);
      for (long start = lastStart; start > time - size; start -= period) {
        windows.computeIfAbsent(start, s -> new FeatureAccumulator(spec)).add(event);
      }
    }
    windows.forEach(
        (start, accumulator) -> {
          long end = start + size;
          out.accept(
              vectors.ofWindow(
                  key,
                  new Instant(end),
                  accumulator.latestEvent(),
                  accumulator.extract(vectors.featuresSchema(), end, false)));
        });
  }
}
