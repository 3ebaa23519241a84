package io.streamml.transforms.features;

import static io.streamml.transforms.features.FeatureTestEvents.T0;
import static io.streamml.transforms.features.FeatureTestEvents.event;
import static org.junit.Assert.assertEquals;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.Aggregation;
import io.streamml.schemas.features.FeatureDefinition;
import io.streamml.schemas.features.FeatureSetSpec;
import io.streamml.schemas.features.WindowSpec;
import io.streamml.transforms.testing.RunnerCapabilities;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.testing.UsesTestStreamWithProcessingTime;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Per-window features under TestStream: early, on-time, late-but-allowed and too-late input. */
@RunWith(JUnit4.class)
@Category(UsesTestStream.class)
public class ExtractWindowFeaturesTest {

  private static final FeatureDefinition[] FEATURES = {
    FeatureDefinition.of("count", Aggregation.COUNT, null),
    FeatureDefinition.of("sum", Aggregation.SUM, "amount"),
    FeatureDefinition.of("max", Aggregation.MAX, "amount"),
    FeatureDefinition.of("since_last", Aggregation.TIME_SINCE_PREVIOUS, null)
  };

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static UseCaseSpec spec(WindowSpec window) {
    return FeatureTestEvents.spec(FeatureSetSpec.perWindow(window, FEATURES));
  }

  private static TimestampedValue<Row> at(Row event) {
    return TimestampedValue.of(event, event.getDateTime("time").toInstant());
  }

  /** "key count/sum/max/since" per vector, easy to assert per pane. */
  private static PCollection<String> summaries(PCollection<Row> vectors) {
    return vectors.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(
                v -> {
                  Row f = v.getRow(FeatureVector.FEATURES);
                  return v.getString(FeatureVector.KEY)
                      + " "
                      + f.getDouble("count").intValue()
                      + "/"
                      + f.getDouble("sum").intValue()
                      + "/"
                      + f.getDouble("max").intValue()
                      + "/"
                      + f.getDouble("since_last");
                }));
  }

  private static IntervalWindow window(long startSeconds, long sizeSeconds) {
    return new IntervalWindow(T0.plus(startSeconds * 1000), Duration.standardSeconds(sizeSeconds));
  }

  @Test
  @Category(UsesTestStreamWithProcessingTime.class)
  public void panesAreEarlyOnTimeAndLateAndTooLateInputIsDropped() {
    UseCaseSpec spec =
        spec(WindowSpec.tumbling(60).withAllowedLatenessSeconds(120).withEarlyFiringSeconds(10));
    TestStream<Row> events =
        TestStream.create(SchemaCoder.of(spec.eventSchema()))
            .advanceWatermarkTo(T0)
            .addElements(at(event(spec, "a", "c1", 5, "DE", "pos", 5)))
            .addElements(at(event(spec, "b", "c1", 7, "DE", "pos", 15)))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .addElements(at(event(spec, "c", "c1", 30, "DE", "pos", 30)))
            .advanceWatermarkTo(T0.plus(60_000))
            .addElements(at(event(spec, "d", "c1", 40, "DE", "pos", 40)))
            .advanceWatermarkTo(T0.plus(60_000 + 120_000 + 1))
            .addElements(at(event(spec, "e", "c1", 90, "DE", "pos", 50)))
            .advanceWatermarkToInfinity();

    PCollection<String> out =
        summaries(pipeline.apply(events).apply(ExtractWindowFeatures.of(spec)));

    IntervalWindow first = window(0, 60);
    PAssert.that(out).inEarlyPane(first).containsInAnyOrder("c1 2/12/7/45.0");
    PAssert.that(out).inOnTimePane(first).containsInAnyOrder("c1 3/42/30/30.0");
    PAssert.that(out).inLatePane(first).containsInAnyOrder("c1 4/82/40/20.0");
    // The event 'e' came after the window expired: no pane of the window includes it.
    PAssert.that(out)
        .inWindow(first)
        .containsInAnyOrder("c1 2/12/7/45.0", "c1 3/42/30/30.0", "c1 4/82/40/20.0");
    pipeline.run();
  }

  @Test
  public void slidingWindowsGiveOneVectorPerKeyPerWindow() {
    UseCaseSpec spec = spec(WindowSpec.sliding(120, 60));
    List<TimestampedValue<Row>> input = new ArrayList<>();
    input.add(at(event(spec, "a", "c1", 1, "DE", "pos", 10)));
    input.add(at(event(spec, "b", "c1", 2, "DE", "pos", 70)));
    input.add(at(event(spec, "c", "c2", 4, "DE", "pos", 100)));
    TestStream.Builder<Row> stream = TestStream.create(SchemaCoder.of(spec.eventSchema()));
    for (TimestampedValue<Row> e : input) {
      stream = stream.addElements(e);
    }

    PCollection<String> out =
        summaries(
            pipeline
                .apply(stream.advanceWatermarkToInfinity())
                .apply(ExtractWindowFeatures.of(spec)));

    PAssert.that(out).inOnTimePane(window(-60, 120)).containsInAnyOrder("c1 1/1/1/50.0");
    PAssert.that(out)
        .inOnTimePane(window(0, 120))
        .containsInAnyOrder("c1 2/3/2/50.0", "c2 1/4/4/20.0");
    PAssert.that(out)
        .inOnTimePane(window(60, 120))
        .containsInAnyOrder("c1 1/2/2/110.0", "c2 1/4/4/80.0");
    pipeline.run();
  }

  @Test
  public void sessionsMergeWhenAnEventBridgesTheGap() {
    UseCaseSpec spec = spec(WindowSpec.session(30));
    TestStream<Row> events =
        TestStream.create(SchemaCoder.of(spec.eventSchema()))
            .addElements(
                at(event(spec, "a", "c1", 1, "DE", "pos", 0)),
                at(event(spec, "b", "c1", 2, "DE", "pos", 50)))
            .addElements(at(event(spec, "c", "c1", 4, "DE", "pos", 25)))
            .advanceWatermarkToInfinity();

    PCollection<Row> vectors = pipeline.apply(events).apply(ExtractWindowFeatures.of(spec));

    // a [0,30) and b [50,80) merge through c [25,55) into one session [0,80).
    PAssert.that(summaries(vectors)).containsInAnyOrder("c1 3/7/4/30.0");
    PAssert.that(vectors)
        .satisfies(
            all -> {
              Row only = all.iterator().next();
              assertEquals(T0.plus(80_000), only.getDateTime(FeatureVector.FEATURE_TIME));
              return null;
            });
    pipeline.run();
  }
}
