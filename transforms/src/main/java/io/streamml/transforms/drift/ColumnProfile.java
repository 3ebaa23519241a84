package io.streamml.transforms.drift;

import io.streamml.schemas.WindowProfile;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The mergeable profile of one column in one window: counts on the reference's bin edges, the
 * missing count, mean and variance (merged with Chan's parallel formula), min, max and a KLL
 * quantile sketch. Adding and merging are order-independent, so workers build partial profiles and
 * combine them, and the cost per window does not grow with the number of workers.
 *
 * <p>Null, NaN and infinite values count as missing: they have no place on a histogram.
 */
final class ColumnProfile implements Serializable {

  private static final long serialVersionUID = 1L;

  /** KLL accuracy parameter: about 1.3% normalized rank error, a few KB per sketch. */
  static final int SKETCH_K = 200;

  private long[] binCounts;
  private long missing;
  private long count;
  private double mean;
  private double m2;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private transient KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(SKETCH_K);

  ColumnProfile(int bins) {
    this.binCounts = new long[bins];
  }

  void add(FeatureReference reference, @Nullable Double value) {
    if (value == null || !Double.isFinite(value)) {
      missing++;
      return;
    }
    double v = value;
    binCounts[reference.binOf(v)]++;
    count++;
    double delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
    min = Math.min(min, v);
    max = Math.max(max, v);
    sketch.update(v);
  }

  /** Adds {@code other}'s values into this profile; both must use the same bins. */
  ColumnProfile merge(ColumnProfile other) {
    DriftStatistics.checkSameBins(binCounts, other.binCounts);
    for (int i = 0; i < binCounts.length; i++) {
      binCounts[i] += other.binCounts[i];
    }
    missing += other.missing;
    if (other.count > 0) {
      long total = count + other.count;
      double delta = other.mean - mean;
      mean += delta * other.count / total;
      m2 += other.m2 + delta * delta * count * other.count / total;
      count = total;
      min = Math.min(min, other.min);
      max = Math.max(max, other.max);
      sketch.merge(other.sketch);
    }
    return this;
  }

  long count() {
    return count;
  }

  long missing() {
    return missing;
  }

  long[] binCounts() {
    return binCounts.clone();
  }

  double mean() {
    return count == 0 ? Double.NaN : mean;
  }

  /** Sample standard deviation (n - 1), as the reference reports it; 0 for one value. */
  double stdDev() {
    return count == 0 ? Double.NaN : count == 1 ? 0 : Math.sqrt(m2 / (count - 1));
  }

  double min() {
    return count == 0 ? Double.NaN : min;
  }

  double max() {
    return count == 0 ? Double.NaN : max;
  }

  /** The value at normalized rank {@code rank} in [0, 1] (approximate); NaN if empty. */
  double quantile(double rank) {
    return sketch.isEmpty() ? Double.NaN : sketch.getQuantile(rank);
  }

  Row toRow(Instant windowStart, Instant windowEnd, @Nullable String segment, String column) {
    List<Long> bins = new ArrayList<>(binCounts.length);
    for (long c : binCounts) {
      bins.add(c);
    }
    return Row.withSchema(WindowProfile.schema())
        .withFieldValue(WindowProfile.WINDOW_START, windowStart)
        .withFieldValue(WindowProfile.WINDOW_END, windowEnd)
        .withFieldValue(WindowProfile.SEGMENT, segment)
        .withFieldValue(WindowProfile.COLUMN, column)
        .withFieldValue(WindowProfile.COUNT, count)
        .withFieldValue(WindowProfile.MISSING, missing)
        .withFieldValue(WindowProfile.MEAN, nullIfNaN(mean()))
        .withFieldValue(WindowProfile.STD_DEV, nullIfNaN(stdDev()))
        .withFieldValue(WindowProfile.MIN, nullIfNaN(min()))
        .withFieldValue(WindowProfile.MAX, nullIfNaN(max()))
        .withFieldValue(WindowProfile.BIN_COUNTS, bins)
        .withFieldValue(WindowProfile.QUANTILE_SKETCH, sketch.toByteArray())
        .build();
  }

  /** A profile read back from its {@link WindowProfile} row, e.g. to merge stored windows. */
  static ColumnProfile fromRow(Row row) {
    List<Long> bins = new ArrayList<>(row.getArray(WindowProfile.BIN_COUNTS));
    ColumnProfile profile = new ColumnProfile(bins.size());
    for (int i = 0; i < bins.size(); i++) {
      profile.binCounts[i] = bins.get(i);
    }
    profile.missing = row.getInt64(WindowProfile.MISSING);
    profile.count = row.getInt64(WindowProfile.COUNT);
    if (profile.count > 0) {
      double stdDev = row.getDouble(WindowProfile.STD_DEV);
      profile.mean = row.getDouble(WindowProfile.MEAN);
      profile.m2 = stdDev * stdDev * (profile.count - 1);
      profile.min = row.getDouble(WindowProfile.MIN);
      profile.max = row.getDouble(WindowProfile.MAX);
    }
    profile.sketch =
        KllDoublesSketch.heapify(Memory.wrap(row.getBytes(WindowProfile.QUANTILE_SKETCH)));
    return profile;
  }

  private static @Nullable Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }

  // The KLL sketch is not Serializable; it travels as its own compact bytes.
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    byte[] bytes = sketch.toByteArray();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    sketch = KllDoublesSketch.heapify(Memory.wrap(bytes));
  }
}
