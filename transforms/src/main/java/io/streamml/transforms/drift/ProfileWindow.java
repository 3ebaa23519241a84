package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.WindowProfile;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Profiles feature vectors (or Score rows, or any rows whose fields are the features) per
 * event-time window, and per segment if asked: for each reference feature, and for the score when
 * the input has one, a {@link WindowProfile} row with counts on the reference's bin edges, the
 * missing count, summary statistics and a KLL quantile sketch.
 *
 * <p>Profiles are built with a {@code CombineFn} whose partial results merge, so each worker
 * profiles its share and only profiles travel. Elements are windowed by their timestamps (a
 * FeatureVector's is its feature time). Windows fire when the watermark passes their end; data up
 * to the allowed lateness refires the window with an updated (accumulated) profile, so the latest
 * pane of a window is its complete profile. Works on bounded and unbounded input.
 */
public final class ProfileWindow extends PTransform<PCollection<Row>, PCollection<Row>> {

  private final ReferenceProfile reference;
  private final Duration size;
  private final @Nullable Duration period;
  private final Duration allowedLateness;
  private final @Nullable String segmentField;
  private final boolean scoreOnly;
  private final boolean categories;

  private ProfileWindow(
      ReferenceProfile reference,
      Duration size,
      @Nullable Duration period,
      Duration allowedLateness,
      @Nullable String segmentField,
      boolean scoreOnly,
      boolean categories) {
    this.scoreOnly = scoreOnly;
    this.categories = categories;
    this.reference = reference;
    this.size = size;
    this.period = period;
    this.allowedLateness = allowedLateness;
    this.segmentField = segmentField;
  }

  /** Tumbling windows of {@code size} against {@code reference}'s bins. */
  public static ProfileWindow of(ReferenceProfile reference, Duration size) {
    checkArgument(size.getMillis() > 0, "window size must be positive, got %s", size);
    return new ProfileWindow(reference, size, null, Duration.ZERO, null, false, false);
  }

  /** Tumbling windows of the {@code score} field only (Score rows carry no features). */
  public static ProfileWindow ofScores(ReferenceProfile reference, Duration size) {
    return of(reference, size).scoresOnly();
  }

  /**
   * Tumbling windows of the reference's categorical fields (e.g. merchant category), read from
   * event rows: each field's profile counts its categories on the reference's category bins. With
   * {@link #withSegmentField}, the segment field itself is not profiled.
   */
  public static ProfileWindow ofCategories(ReferenceProfile reference, Duration size) {
    checkArgument(size.getMillis() > 0, "window size must be positive, got %s", size);
    return new ProfileWindow(
        reference, size, null, Duration.ZERO, null, false, /* categories= */ true);
  }

  private ProfileWindow scoresOnly() {
    return new ProfileWindow(
        reference, size, period, allowedLateness, segmentField, true, categories);
  }

  /** Sliding windows: a new window every {@code period} (at most the size). */
  public ProfileWindow withSlidingPeriod(Duration period) {
    checkArgument(
        period.getMillis() > 0 && !period.isLongerThan(size),
        "sliding period must be positive and at most the window size %s, got %s",
        size,
        period);
    return new ProfileWindow(
        reference, size, period, allowedLateness, segmentField, scoreOnly, categories);
  }

  public ProfileWindow withAllowedLateness(Duration lateness) {
    checkArgument(!lateness.isShorterThan(Duration.ZERO), "negative lateness %s", lateness);
    return new ProfileWindow(
        reference, size, period, lateness, segmentField, scoreOnly, categories);
  }

  /** Profiles each value of {@code field} (e.g. merchant category) apart, as well as windows. */
  public ProfileWindow withSegmentField(String field) {
    checkArgument(field != null && !field.isBlank(), "segment field is blank");
    return new ProfileWindow(
        reference, size, period, allowedLateness, field, scoreOnly, categories);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    ColumnReader reader =
        scoreOnly
            ? ColumnReader.scoreOnly(input.getSchema())
            : categories
                ? ColumnReader.forCategories(input.getSchema(), reference, segmentField)
                : ColumnReader.forSchema(input.getSchema(), reference);
    if (segmentField != null) {
      checkArgument(
          input.getSchema().hasField(segmentField),
          "segment field '%s' is not in the input (fields: %s)",
          segmentField,
          input.getSchema().getFieldNames());
    }
    SlidingWindows windows = SlidingWindows.of(size).every(period == null ? size : period);
    String segment = segmentField;
    PCollection<KV<KV<String, Long>, Row>> keyed;
    if (input.isBounded() == PCollection.IsBounded.BOUNDED) {
      // All data is known: assign windows from the timestamps directly rather than through the
      // watermark, which upstream regrouping (e.g. batch features) may already have advanced
      // past them, making every element late.
      keyed =
          input.apply("KeyBySegmentAndWindow", ParDo.of(new KeyByWindowFn(windows, segment, size)));
    } else {
      keyed =
          input
              .apply(
                  "WindowForProfiles",
                  Window.<Row>into(windows)
                      .withAllowedLateness(allowedLateness)
                      .accumulatingFiredPanes())
              .apply(
                  "KeyBySegment",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptors.kvs(
                                  TypeDescriptors.strings(), TypeDescriptors.longs()),
                              TypeDescriptors.rows()))
                      .via(row -> KV.of(KV.of(segmentOf(row, segment), -1L), row)));
    }
    KvCoder<String, Long> keyCoder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    return keyed
        .setCoder(KvCoder.of(keyCoder, input.getCoder()))
        .apply("CombineProfiles", Combine.perKey(new ProfileFn(reference, reader)))
        .setCoder(KvCoder.of(keyCoder, SerializableCoder.of(Profiles.class)))
        .apply("EmitProfileRows", ParDo.of(new EmitRowsFn(reader.columns(), segment != null, size)))
        .setRowSchema(WindowProfile.schema());
  }

  /** Bounded input: each element keyed by its segment and the start of each of its windows. */
  private static final class KeyByWindowFn extends DoFn<Row, KV<KV<String, Long>, Row>> {
    private final SlidingWindows windows;
    private final @Nullable String segmentField;

    KeyByWindowFn(SlidingWindows windows, @Nullable String segmentField, Duration size) {
      this.windows = windows;
      this.segmentField = segmentField;
    }

    @ProcessElement
    public void process(
        @Element Row row,
        @Timestamp Instant timestamp,
        OutputReceiver<KV<KV<String, Long>, Row>> out) {
      String segment = segmentOf(row, segmentField);
      for (IntervalWindow window : windows.assignWindows(timestamp)) {
        out.output(KV.of(KV.of(segment, window.start().getMillis()), row));
      }
    }
  }

  private static String segmentOf(Row row, @Nullable String field) {
    if (field == null) {
      return "";
    }
    Object value = row.getValue(field);
    return value == null ? "" : String.valueOf(value);
  }

  /** The profiles of every column of one window and segment. */
  static final class Profiles implements Serializable {
    private static final long serialVersionUID = 1L;
    final ColumnProfile[] columns;

    Profiles(ColumnProfile[] columns) {
      this.columns = columns;
    }
  }

  private static final class ProfileFn extends Combine.CombineFn<Row, Profiles, Profiles> {
    private final ReferenceProfile reference;
    private final ColumnReader reader;
    // Filled completely before it is published: runners may share one CombineFn across threads.
    private transient volatile FeatureReference[] references;

    ProfileFn(ReferenceProfile reference, ColumnReader reader) {
      this.reference = reference;
      this.reader = reader;
    }

    private FeatureReference[] references() {
      FeatureReference[] refs = references;
      if (refs == null) {
        List<String> columns = reader.columns();
        refs = new FeatureReference[columns.size()];
        for (int i = 0; i < refs.length; i++) {
          String column = columns.get(i);
          refs[i] = reference.column(column);
        }
        references = refs;
      }
      return refs;
    }

    @Override
    public Profiles createAccumulator() {
      FeatureReference[] refs = references();
      ColumnProfile[] columns = new ColumnProfile[refs.length];
      for (int i = 0; i < refs.length; i++) {
        columns[i] = new ColumnProfile(refs[i].numBins());
      }
      return new Profiles(columns);
    }

    @Override
    public Profiles addInput(Profiles profiles, Row row) {
      FeatureReference[] refs = references();
      for (int i = 0; i < refs.length; i++) {
        profiles.columns[i].add(refs[i], reader.value(row, i));
      }
      return profiles;
    }

    @Override
    public Profiles mergeAccumulators(Iterable<Profiles> accumulators) {
      Profiles merged = null;
      for (Profiles profiles : accumulators) {
        if (merged == null) {
          merged = profiles;
        } else {
          for (int i = 0; i < merged.columns.length; i++) {
            merged.columns[i].merge(profiles.columns[i]);
          }
        }
      }
      return merged == null ? createAccumulator() : merged;
    }

    @Override
    public Profiles extractOutput(Profiles profiles) {
      return profiles;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Profiles> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Row> inputCoder) {
      // Partial profiles only move between combine phases; Java serialization is adequate here.
      return SerializableCoder.of(Profiles.class);
    }
  }

  private static final class EmitRowsFn extends DoFn<KV<KV<String, Long>, Profiles>, Row> {
    private final List<String> columns;
    private final boolean segmented;
    private final Duration size;

    EmitRowsFn(List<String> columns, boolean segmented, Duration size) {
      this.columns = columns;
      this.segmented = segmented;
      this.size = size;
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, Long>, Profiles> element,
        BoundedWindow window,
        OutputReceiver<Row> out) {
      // Unbounded input is in its event-time window; bounded input carries the window in the key.
      IntervalWindow interval =
          window instanceof IntervalWindow
              ? (IntervalWindow) window
              : new IntervalWindow(new Instant(element.getKey().getValue()), size);
      String segment = segmented ? element.getKey().getKey() : null;
      ColumnProfile[] profiles = element.getValue().columns;
      for (int i = 0; i < profiles.length; i++) {
        out.output(profiles[i].toRow(interval.start(), interval.end(), segment, columns.get(i)));
      }
    }
  }
}
