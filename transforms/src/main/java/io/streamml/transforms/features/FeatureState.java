package io.streamml.transforms.features;

import io.streamml.schemas.features.Aggregation;
import io.streamml.schemas.features.FeatureDefinition;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The mergeable partial aggregate of one windowed feature: whatever its aggregation needs and no
 * more. Merging two partials gives the partial of the union of their events, in any order.
 */
final class FeatureState implements Serializable {

  private static final int HLL_LG_K = 12;

  private final Aggregation aggregation;
  private final double halfLifeMillis;
  private final int exactDistinctLimit;

  private long count;
  private double sum;
  private double mean;
  private double m2;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private long latestTime = Long.MIN_VALUE;
  private double latestValue;
  private long previousTime = Long.MIN_VALUE;
  private long decayReference = Long.MIN_VALUE;
  private double decayed;
  private @Nullable Set<String> distinct;
  private transient @Nullable HllSketch sketch;

  FeatureState(FeatureDefinition definition, int exactDistinctLimit) {
    this.aggregation = definition.aggregation();
    this.halfLifeMillis =
        definition.halfLifeSeconds() == null ? 0 : definition.halfLifeSeconds() * 1000;
    this.exactDistinctLimit = exactDistinctLimit;
    if (aggregation == Aggregation.DISTINCT_COUNT) {
      distinct = new HashSet<>();
    }
  }

  /** Adds one event's value (ignored by aggregations that only count) at a time in millis. */
  void add(long timeMillis, @Nullable Object value) {
    count++;
    double number = value instanceof Number ? ((Number) value).doubleValue() : 0;
    switch (aggregation) {
      case SUM:
        sum += number;
        break;
      case MEAN:
      case STDDEV:
        double delta = number - mean;
        mean += delta / count;
        m2 += delta * (number - mean);
        break;
      case MIN:
        min = Math.min(min, number);
        break;
      case MAX:
        max = Math.max(max, number);
        break;
      case DISTINCT_COUNT:
        addDistinct(String.valueOf(value));
        break;
      case DECAYED_COUNT:
      case DECAYED_SUM:
        addDecayed(timeMillis, aggregation == Aggregation.DECAYED_SUM ? number : 1.0);
        break;
      default:
        break;
    }
    addTime(timeMillis, number);
  }

  /** Keeps the two latest times, and the value at the latest (ties: the larger value). */
  private void addTime(long timeMillis, double value) {
    if (timeMillis > latestTime || (timeMillis == latestTime && value > latestValue)) {
      previousTime = latestTime;
      latestTime = timeMillis;
      latestValue = value;
    } else if (timeMillis > previousTime) {
      previousTime = timeMillis;
    }
  }

  private void addDecayed(long timeMillis, double weight) {
    if (decayReference == Long.MIN_VALUE) {
      decayReference = timeMillis;
    }
    decayed += weight * Math.pow(2, (timeMillis - decayReference) / halfLifeMillis);
  }

  private void addDistinct(String value) {
    if (sketch != null) {
      sketch.update(value);
      return;
    }
    distinct.add(value);
    if (distinct.size() > exactDistinctLimit) {
      sketch = new HllSketch(HLL_LG_K);
      distinct.forEach(item -> sketch.update(item));
      distinct = null;
    }
  }

  void merge(FeatureState other) {
    if (other.count == 0) {
      return;
    }
    long total = count + other.count;
    switch (aggregation) {
      case SUM:
        sum += other.sum;
        break;
      case MEAN:
      case STDDEV:
        double delta = other.mean - mean;
        m2 += other.m2 + delta * delta * count * other.count / total;
        mean += delta * other.count / total;
        break;
      case MIN:
        min = Math.min(min, other.min);
        break;
      case MAX:
        max = Math.max(max, other.max);
        break;
      case DISTINCT_COUNT:
        mergeDistinct(other);
        break;
      case DECAYED_COUNT:
      case DECAYED_SUM:
        if (decayReference == Long.MIN_VALUE) {
          decayReference = other.decayReference;
        }
        decayed +=
            other.decayed * Math.pow(2, (other.decayReference - decayReference) / halfLifeMillis);
        break;
      default:
        break;
    }
    count = total;
    if (other.previousTime != Long.MIN_VALUE) {
      addTime(other.previousTime, Double.NEGATIVE_INFINITY);
    }
    addTime(other.latestTime, other.latestValue);
  }

  private void mergeDistinct(FeatureState other) {
    if (sketch == null && other.sketch == null) {
      other.distinct.forEach(this::addDistinct);
      return;
    }
    Union union = new Union(HLL_LG_K);
    union.update(sketchOf(this));
    union.update(sketchOf(other));
    sketch = union.getResult();
    distinct = null;
  }

  private static HllSketch sketchOf(FeatureState state) {
    if (state.sketch != null) {
      return state.sketch;
    }
    HllSketch sketch = new HllSketch(HLL_LG_K);
    state.distinct.forEach(item -> sketch.update(item));
    return sketch;
  }

  /**
   * The feature's value at {@code atMillis}: {@code perEvent} means the latest event is the current
   * one (so "time since previous" looks one event back).
   */
  @Nullable Double value(long atMillis, boolean perEvent) {
    switch (aggregation) {
      case COUNT:
        return (double) count;
      case SUM:
        return sum;
      case MEAN:
        return count == 0 ? null : mean;
      case STDDEV:
        return count == 0 ? null : Math.sqrt(Math.max(0, m2 / count));
      case MIN:
        return count == 0 ? null : min;
      case MAX:
        return count == 0 ? null : max;
      case DISTINCT_COUNT:
        return sketch != null ? (double) Math.round(sketch.getEstimate()) : distinct.size();
      case LAST:
        return count == 0 ? null : latestValue;
      case TIME_SINCE_PREVIOUS:
        long since = perEvent ? previousTime : latestTime;
        long until = perEvent ? latestTime : atMillis;
        return since == Long.MIN_VALUE ? null : (until - since) / 1000.0;
      case DECAYED_COUNT:
      case DECAYED_SUM:
        return count == 0
            ? 0.0
            : decayed * Math.pow(2, (decayReference - atMillis) / halfLifeMillis);
      default:
        throw new IllegalStateException(aggregation + " is not a windowed aggregation");
    }
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeObject(sketch == null ? null : sketch.toCompactByteArray());
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    byte[] bytes = (byte[]) in.readObject();
    sketch = bytes == null ? null : HllSketch.heapify(Memory.wrap(bytes));
  }
}
