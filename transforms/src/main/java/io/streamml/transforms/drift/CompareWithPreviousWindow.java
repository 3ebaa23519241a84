package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.WindowProfile;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Compares each window's profile with the window just before it (same column and segment, one
 * window period earlier) instead of the training reference: sudden change stands out even when both
 * windows are far from training (a slow drift seen window to window). Input: {@link WindowProfile}
 * rows from {@link ProfileWindow}; output: {@link DriftMetric} rows whose {@code reference_*}
 * fields describe the previous window, judged by the same thresholds. A window without a previous
 * one gives nothing.
 *
 * <p>Profiles may arrive in any order (bounded input) or refire (late data on a stream): a pair is
 * compared when its second profile arrives, and again when either is updated; the newest row of a
 * window is its comparison with the complete profiles. State per column and segment keeps the
 * latest {@link #KEPT_WINDOWS} windows.
 */
public final class CompareWithPreviousWindow
    extends PTransform<PCollection<Row>, PCollection<Row>> {

  /** Windows kept per column and segment to pair with later (or late) profiles. */
  static final int KEPT_WINDOWS = 64;

  private final ReferenceProfile reference;
  private final DriftThresholds thresholds;
  private final Duration period;

  private CompareWithPreviousWindow(
      ReferenceProfile reference, DriftThresholds thresholds, Duration period) {
    this.reference = reference;
    this.thresholds = thresholds;
    this.period = period;
  }

  /**
   * Windows {@code period} apart (the window size, or the sliding period), on the reference's bins.
   */
  public static CompareWithPreviousWindow of(ReferenceProfile reference, Duration period) {
    checkArgument(period.getMillis() > 0, "window period must be positive, got %s", period);
    return new CompareWithPreviousWindow(reference, DriftThresholds.defaults(), period);
  }

  public CompareWithPreviousWindow withThresholds(DriftThresholds thresholds) {
    return new CompareWithPreviousWindow(reference, thresholds, period);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> profiles) {
    return profiles
        .apply("IntoOneWindow", Window.into(new GlobalWindows()))
        .apply(
            "KeyByColumnAndSegment",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.rows()))
                .via(
                    (Row p) ->
                        KV.of(
                            p.getString(WindowProfile.COLUMN)
                                + "\u0000"
                                + p.getString(WindowProfile.SEGMENT),
                            p)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SchemaCoder.of(WindowProfile.schema())))
        .apply("PairWithPreviousWindow", ParDo.of(new PairFn(reference, thresholds, period)))
        .setRowSchema(DriftMetric.schema());
  }

  private static final class PairFn extends DoFn<KV<String, Row>, Row> {
    private final ReferenceProfile reference;
    private final DriftThresholds thresholds;
    private final long period;

    @StateId("windows")
    private final StateSpec<ValueState<Map<Long, Row>>> windowsSpec =
        StateSpecs.value(MapCoder.of(VarLongCoder.of(), SchemaCoder.of(WindowProfile.schema())));

    PairFn(ReferenceProfile reference, DriftThresholds thresholds, Duration period) {
      this.reference = reference;
      this.thresholds = thresholds;
      this.period = period.getMillis();
    }

    @ProcessElement
    public void process(
        @Element KV<String, Row> element,
        @StateId("windows") ValueState<Map<Long, Row>> state,
        OutputReceiver<Row> out) {
      Row profile = element.getValue();
      long start = profile.getDateTime(WindowProfile.WINDOW_START).getMillis();
      Map<Long, Row> stored = state.read();
      TreeMap<Long, Row> windows = stored == null ? new TreeMap<>() : new TreeMap<>(stored);
      windows.put(start, profile);
      Row previous = windows.get(start - period);
      if (previous != null) {
        out.output(ComputeDrift.compareWithWindow(profile, previous, reference, thresholds));
      }
      Row next = windows.get(start + period);
      if (next != null) {
        out.output(ComputeDrift.compareWithWindow(next, profile, reference, thresholds));
      }
      while (windows.size() > KEPT_WINDOWS) {
        windows.pollFirstEntry();
      }
      state.write(windows);
    }
  }
}
