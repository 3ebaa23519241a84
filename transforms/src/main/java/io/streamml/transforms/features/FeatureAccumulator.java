package io.streamml.transforms.features;

import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.Aggregation;
import io.streamml.schemas.features.FeatureDefinition;
import io.streamml.schemas.features.FeatureSetSpec;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The partial aggregates of all of a spec's features over a set of events, plus the latest event
 * (for point features). This is the one place feature values are computed: per-window features
 * merge accumulators across workers; per-event features build one over each event's history. So
 * training (bounded) and serving (unbounded) cannot disagree.
 */
final class FeatureAccumulator implements Serializable {

  private final FeatureSetSpec features;
  private final String eventTimeField;
  private final String idField;
  private final FeatureState[] states;
  private @Nullable Row latestEvent;
  private long latestTime = Long.MIN_VALUE;

  FeatureAccumulator(UseCaseSpec spec) {
    this.features = spec.features();
    this.eventTimeField = spec.eventTimeField();
    this.idField = spec.idField();
    List<FeatureDefinition> definitions = features.definitions();
    this.states = new FeatureState[definitions.size()];
    for (int i = 0; i < states.length; i++) {
      if (definitions.get(i).aggregation().kind() == Aggregation.Kind.WINDOW) {
        states[i] = new FeatureState(definitions.get(i), features.exactDistinctLimit());
      }
    }
  }

  static long timeOf(Row event, String eventTimeField) {
    return event.getDateTime(eventTimeField).getMillis();
  }

  /** Adds the event to every windowed feature whose filter it passes. */
  void add(Row event) {
    add(event, Long.MIN_VALUE);
  }

  /**
   * Adds the event to the windowed features whose trailing window, ending at {@code
   * windowEndMillis}, contains it (all of them when {@code windowEndMillis} is MIN_VALUE).
   */
  void add(Row event, long windowEndMillis) {
    long time = timeOf(event, eventTimeField);
    List<FeatureDefinition> definitions = features.definitions();
    for (int i = 0; i < states.length; i++) {
      FeatureState state = states[i];
      if (state == null) {
        continue;
      }
      FeatureDefinition definition = definitions.get(i);
      if (windowEndMillis != Long.MIN_VALUE
          && windowEndMillis - time >= definition.windowSeconds() * 1000) {
        continue;
      }
      if (definition.filter() != null && !definition.filter().matches(event)) {
        continue;
      }
      Object value = definition.field() == null ? null : event.getValue(definition.field());
      if (definition.field() != null && value == null) {
        continue;
      }
      state.add(time, value);
    }
    if (isLater(time, event)) {
      latestTime = time;
      latestEvent = event;
    }
  }

  /** Later in (time, id) order, so ties resolve the same way on every runner. */
  private boolean isLater(long time, Row event) {
    if (latestEvent == null || time > latestTime) {
      return true;
    }
    return time == latestTime
        && String.valueOf((Object) event.getValue(idField))
                .compareTo(String.valueOf((Object) latestEvent.getValue(idField)))
            > 0;
  }

  void merge(FeatureAccumulator other) {
    for (int i = 0; i < states.length; i++) {
      if (states[i] != null) {
        states[i].merge(other.states[i]);
      }
    }
    if (other.latestEvent != null && isLater(other.latestTime, other.latestEvent)) {
      latestTime = other.latestTime;
      latestEvent = other.latestEvent;
    }
  }

  @Nullable Row latestEvent() {
    return latestEvent;
  }

  /**
   * The feature values at {@code atMillis}, as a Row of {@code featuresSchema}. Point features read
   * the latest event; {@code perEvent} says that event is the one being featurised.
   */
  Row extract(Schema featuresSchema, long atMillis, boolean perEvent) {
    List<FeatureDefinition> definitions = features.definitions();
    Map<String, Double> values = new HashMap<>();
    Row.Builder row = Row.withSchema(featuresSchema);
    for (int i = 0; i < definitions.size(); i++) {
      FeatureDefinition definition = definitions.get(i);
      Double value;
      switch (definition.aggregation().kind()) {
        case WINDOW:
          value = states[i].value(atMillis, perEvent);
          break;
        case POINT:
          value = latestEvent == null ? null : pointValue(definition, latestEvent);
          break;
        default:
          value = ratio(values.get(definition.numerator()), values.get(definition.denominator()));
          break;
      }
      values.put(definition.name(), value);
      row.addValue(value);
    }
    return row.build();
  }

  private static @Nullable Double pointValue(FeatureDefinition definition, Row event) {
    if (definition.aggregation() == Aggregation.INDICATOR) {
      return definition.filter().matches(event) ? 1.0 : 0.0;
    }
    Object raw = event.getValue(definition.field());
    if (raw == null) {
      return null;
    }
    double value = ((Number) raw).doubleValue();
    if (definition.aggregation() == Aggregation.LOG) {
      return value <= -1 ? null : Math.log1p(value);
    }
    return value;
  }

  private static @Nullable Double ratio(@Nullable Double numerator, @Nullable Double denominator) {
    if (numerator == null || denominator == null || denominator == 0) {
      return null;
    }
    return numerator / denominator;
  }
}
