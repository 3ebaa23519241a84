package io.streamml.transforms.features;

import io.streamml.schemas.UseCaseSpec;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Computes one event's trailing feature vector from its key's events in (time, id) order. The batch
 * and the streaming paths of {@link ExtractTrailingFeatures} both call this, so they agree.
 */
final class TrailingFeatureCalculator implements Serializable {

  private final UseCaseSpec spec;
  private final FeatureVectorRows vectors;
  private final long longestWindowMillis;

  TrailingFeatureCalculator(UseCaseSpec spec) {
    this.spec = spec;
    this.vectors = new FeatureVectorRows(spec);
    this.longestWindowMillis = spec.features().longestWindowSeconds() * 1000;
  }

  FeatureVectorRows vectors() {
    return vectors;
  }

  long timeOf(Row event) {
    return FeatureAccumulator.timeOf(event, spec.eventTimeField());
  }

  /** Event order: time, then id, so equal times resolve the same way everywhere. */
  Comparator<Row> order() {
    String idField = spec.idField();
    return Comparator.<Row>comparingLong(this::timeOf)
        .thenComparing(r -> String.valueOf((Object) r.getValue(idField)));
  }

  /**
   * The vector of {@code events.get(index)}, from the events before it in {@code events} (sorted by
   * {@link #order()}) that fall in each feature's trailing window, and itself.
   */
  Row vectorAt(List<Row> events, int index) {
    Row event = events.get(index);
    long time = timeOf(event);
    int first = index;
    while (first > 0 && time - timeOf(events.get(first - 1)) < longestWindowMillis) {
      first--;
    }
    FeatureAccumulator accumulator = new FeatureAccumulator(spec);
    for (int i = first; i <= index; i++) {
      accumulator.add(events.get(i), time);
    }
    return vectors.of(
        event.getString(spec.keyField()),
        String.valueOf((Object) event.getValue(spec.idField())),
        new Instant(time),
        event,
        accumulator.extract(vectors.featuresSchema(), time, true));
  }
}
