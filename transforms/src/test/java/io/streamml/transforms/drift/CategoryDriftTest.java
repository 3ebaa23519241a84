package io.streamml.transforms.drift;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.FieldSpec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.testing.RunnerCapabilities;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Categorical fields: training events counted per category ({@link CountCategories}), window
 * profiles of later events on the same category bins, and PSI, Jensen-Shannon and L-infinity
 * against them; a window with the training mix shows no drift, a window where one category's share
 * doubles drifts, and KS, Wasserstein and mean stay null (categories have no order).
 */
@RunWith(JUnit4.class)
public class CategoryDriftTest {

  private static final List<String> CHANNELS = List.of("pos", "online", "atm");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration HOUR = Duration.standardHours(1);

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static UseCaseSpec spec() {
    return UseCaseSpec.builder("payments")
        .idField("id")
        .keyField("card")
        .eventTimeField("time")
        .field(FieldSpec.of("id", FieldSpec.Type.STRING))
        .field(FieldSpec.of("card", FieldSpec.Type.STRING))
        .field(
            FieldSpec.of("channel", FieldSpec.Type.STRING).withAllowedValues(CHANNELS).nullable())
        .field(FieldSpec.of("time", FieldSpec.Type.TIMESTAMP))
        .build();
  }

  /** {@code n} events: 60% pos, 30% online, 10% atm, or with {@code onlineShare} online. */
  private static List<Row> events(Schema schema, int n, double onlineShare, String idPrefix) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double u = (i % 100) / 100.0;
      String channel = u < onlineShare ? "online" : u < onlineShare + 0.1 ? "atm" : "pos";
      rows.add(
          Row.withSchema(schema)
              .addValues(idPrefix + i, "c" + (i % 7), channel, T0.toDateTime())
              .build());
    }
    return rows;
  }

  @Test
  public void trainingMixIsNoDriftAndADoubledCategoryShareDrifts() throws Exception {
    UseCaseSpec spec = spec();
    Schema schema = spec.eventSchema();
    CountCategories.Counts counts =
        new CountCategories.Counts(CountCategories.categoricalFields(spec));
    events(schema, 1000, 0.3, "t").forEach(counts::add);
    List<FeatureReference> counted = counts.references();
    FeatureReference channel = counted.get(0);
    assertEquals(List.of("pos", "online", "atm"), channel.categories());
    assertEquals(List.of(600L, 300L, 100L, 0L), toList(channel.counts()));
    // Stored in a bundle's profile and read back unchanged.
    ReferenceProfile reference =
        ReferenceProfile.compute(List.of("x"), new float[] {1f, 2f}, new float[] {0.1f, 0.2f}, 10)
            .withCategories(counted);
    assertEquals(reference, ReferenceProfile.fromJson(reference.toJson()));
    assertEquals(counted, CountCategories.fromJson(CountCategories.toJson(counted)));

    List<TimestampedValue<Row>> stream = new ArrayList<>();
    events(schema, 1000, 0.3, "a").forEach(e -> stream.add(TimestampedValue.of(e, T0)));
    events(schema, 1000, 0.6, "b").forEach(e -> stream.add(TimestampedValue.of(e, T0.plus(HOUR))));
    PCollection<Row> metrics =
        pipeline
            .apply(Create.timestamped(stream).withCoder(SchemaCoder.of(schema)))
            .apply(ProfileWindow.ofCategories(reference, HOUR))
            .apply(ComputeDrift.against(reference));

    PAssert.that(metrics)
        .satisfies(
            rows -> {
              Map<Long, Row> byWindow = new HashMap<>();
              rows.forEach(
                  r ->
                      byWindow.put(
                          r.getDateTime(DriftMetric.WINDOW_START).getMillis() - T0.getMillis(), r));
              assertEquals(byWindow.toString(), 2, byWindow.size());
              Row same = byWindow.get(0L);
              Row shifted = byWindow.get(HOUR.getMillis());
              assertEquals("channel", same.getString(DriftMetric.COLUMN));
              assertEquals(0.0, same.getDouble(DriftMetric.L_INFINITY), 1e-12);
              assertEquals("OK", same.getString(DriftMetric.VERDICT));
              // online 30% -> 60% (and pos 60% -> 30%): L-infinity 0.3.
              assertEquals(0.3, shifted.getDouble(DriftMetric.L_INFINITY), 1e-9);
              assertTrue(shifted.getDouble(DriftMetric.PSI) > 0.25);
              assertEquals("DRIFT", shifted.getString(DriftMetric.VERDICT));
              assertTrue(
                  shifted.getString(DriftMetric.REASONS),
                  shifted.getString(DriftMetric.REASONS).contains("l_infinity 0.3000 >= 0.2"));
              assertNull(shifted.getDouble(DriftMetric.KS));
              assertNull(shifted.getDouble(DriftMetric.WASSERSTEIN_NORMALIZED));
              assertNull(shifted.getDouble(DriftMetric.MEAN));
              assertEquals(1000L, (long) shifted.getInt64(DriftMetric.COUNT));
              return null;
            });
    pipeline.run();
  }

  @Test
  @Category(UsesTestStream.class)
  public void countingAStreamThatEndsGivesOneCountOfEverything() {
    UseCaseSpec spec = spec();
    Schema schema = spec.eventSchema();
    // A bounded read of Kafka is typed unbounded: the count must still come out, once, at its end.
    TestStream.Builder<Row> stream = TestStream.create(SchemaCoder.of(schema));
    for (Row event : events(schema, 100, 0.3, "s")) {
      stream = stream.addElements(TimestampedValue.of(event, T0));
    }
    PCollection<List<FeatureReference>> counted =
        pipeline
            .apply(stream.advanceWatermarkToInfinity())
            .apply(CountCategories.of(spec))
            .apply(
                MapElements.into(new TypeDescriptor<List<FeatureReference>>() {})
                    .via(CountCategories::fromJson));
    PAssert.thatSingleton(counted)
        .satisfies(
            references -> {
              assertEquals(List.of(60L, 30L, 10L, 0L), toList(references.get(0).counts()));
              return null;
            });
    pipeline.run();
  }

  private static List<Long> toList(long[] values) {
    List<Long> list = new ArrayList<>();
    for (long v : values) {
      list.add(v);
    }
    return list;
  }
}
