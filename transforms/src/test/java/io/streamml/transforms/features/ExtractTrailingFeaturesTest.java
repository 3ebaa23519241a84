package io.streamml.transforms.features;

import static io.streamml.transforms.features.FeatureTestEvents.T0;
import static io.streamml.transforms.features.FeatureTestEvents.event;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.Aggregation;
import io.streamml.schemas.features.FeatureDefinition;
import io.streamml.schemas.features.FeatureSetSpec;
import io.streamml.transforms.testing.NeedsWatermarkBeforeNextElement;
import io.streamml.transforms.testing.PipelineCounters;
import io.streamml.transforms.testing.RunnerCapabilities;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesStatefulParDo;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.testing.UsesTimersInParDo;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class ExtractTrailingFeaturesTest {

  static final UseCaseSpec SPEC =
      FeatureTestEvents.spec(
          FeatureSetSpec.perEvent(
              60,
              FeatureDefinition.of("count_1m", Aggregation.COUNT, null).withWindowSeconds(60),
              FeatureDefinition.of("sum_1h", Aggregation.SUM, "amount").withWindowSeconds(3600),
              FeatureDefinition.of("mean_1h", Aggregation.MEAN, "amount").withWindowSeconds(3600),
              FeatureDefinition.of("countries_1h", Aggregation.DISTINCT_COUNT, "country")
                  .withWindowSeconds(3600),
              FeatureDefinition.of("since_previous", Aggregation.TIME_SINCE_PREVIOUS, null)
                  .withWindowSeconds(3600),
              FeatureDefinition.of("amount", Aggregation.VALUE, "amount")));

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** Events over ~3 hours on a few cards, several sharing timestamps. */
  static List<Row> randomEvents(int n, long seed) {
    Random random = new Random(seed);
    List<Row> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(
          event(
              SPEC,
              String.format("e%04d", i),
              "card-" + random.nextInt(4),
              1 + random.nextInt(900),
              new String[] {"DE", "FR", "GB", "US"}[random.nextInt(4)],
              "pos",
              random.nextInt(2_000) * 5L));
    }
    return events;
  }

  private static List<TimestampedValue<Row>> timestamped(List<Row> events) {
    List<TimestampedValue<Row>> out = new ArrayList<>();
    for (Row e : events) {
      out.add(TimestampedValue.of(e, e.getDateTime("time").toInstant()));
    }
    return out;
  }

  @Test
  public void boundedInputGivesEachEventItsPointInTimeFeatures() {
    List<Row> events = randomEvents(300, 7);

    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline
            .apply(
                Create.timestamped(timestamped(events))
                    .withCoder(SchemaCoder.of(SPEC.eventSchema())))
            .apply(ExtractTrailingFeatures.of(SPEC));

    PAssert.that(result.output())
        .satisfies(VectorAssertions.matchesReference(TrailingReference.vectors(SPEC, events)));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  @Category({UsesTestStream.class, UsesStatefulParDo.class, UsesTimersInParDo.class})
  public void streamWithOutOfOrderArrivalGivesExactlyTheBatchVectors() {
    List<Row> events = randomEvents(300, 11);
    List<Row> byTime = new ArrayList<>(events);
    byTime.sort(Comparator.comparingLong(e -> e.getDateTime("time").getMillis()));
    TestStream.Builder<Row> stream =
        TestStream.create(SchemaCoder.of(SPEC.eventSchema())).advanceWatermarkTo(T0);
    Random random = new Random(3);
    for (int start = 0; start < byTime.size(); start += 40) {
      List<Row> chunk = new ArrayList<>(byTime.subList(start, Math.min(start + 40, byTime.size())));
      Collections.shuffle(chunk, random);
      for (Row e : chunk) {
        stream = stream.addElements(TimestampedValue.of(e, e.getDateTime("time").toInstant()));
      }
      if (start + 40 < byTime.size()) {
        // Nothing still to come is behind the watermark: out of order, never late.
        stream = stream.advanceWatermarkTo(byTime.get(start + 40).getDateTime("time").toInstant());
      }
    }

    PCollection<Row> streamed =
        pipeline
            .apply("Stream", stream.advanceWatermarkToInfinity())
            .apply("StreamFeatures", ExtractTrailingFeatures.of(SPEC))
            .output();
    PCollection<Row> batch =
        pipeline
            .apply(
                "Batch",
                Create.timestamped(timestamped(events))
                    .withCoder(SchemaCoder.of(SPEC.eventSchema())))
            .apply("BatchFeatures", ExtractTrailingFeatures.of(SPEC))
            .output();

    PAssert.that(BitIdentical.mismatches(batch, streamed)).empty();
    PAssert.that(streamed)
        .satisfies(VectorAssertions.matchesReference(TrailingReference.vectors(SPEC, events)));
    pipeline.run();
  }

  @Test
  @Category({
    UsesTestStream.class,
    UsesStatefulParDo.class,
    UsesTimersInParDo.class,
    NeedsWatermarkBeforeNextElement.class
  })
  public void lateEventWithinAllowedLatenessSeesOnlyEarlierEvents() {
    Row first = event(SPEC, "a", "c1", 10, "DE", "pos", 10);
    Row second = event(SPEC, "b", "c1", 20, "FR", "pos", 100);
    Row late = event(SPEC, "c", "c1", 30, "GB", "pos", 90);

    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline
            .apply(
                // One watermark advance per event, so each is featurised before the next comes.
                TestStream.create(SchemaCoder.of(SPEC.eventSchema()))
                    .addElements(at(first))
                    .advanceWatermarkTo(T0.plus(50_000))
                    .addElements(at(second))
                    .advanceWatermarkTo(T0.plus(120_000))
                    .addElements(at(late))
                    .advanceWatermarkToInfinity())
            .apply(ExtractTrailingFeatures.of(SPEC));

    // The late event gets its own correct features; the vector already emitted is not revised.
    List<Row> expected = new ArrayList<>(TrailingReference.vectors(SPEC, List.of(first, second)));
    expected.add(TrailingReference.vectors(SPEC, List.of(first, second, late)).get(2));
    PAssert.that(result.output()).satisfies(VectorAssertions.matchesReference(expected));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  @Category({
    UsesTestStream.class,
    UsesStatefulParDo.class,
    UsesTimersInParDo.class,
    NeedsWatermarkBeforeNextElement.class
  })
  public void eventLaterThanAllowedLatenessGoesToDeadLetters() {
    Row processed = event(SPEC, "a", "c1", 10, "DE", "pos", 1_000);
    Row tooLate = event(SPEC, "b", "c1", 20, "FR", "pos", 900);

    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline
            .apply(
                TestStream.create(SchemaCoder.of(SPEC.eventSchema()))
                    .addElements(at(processed))
                    .advanceWatermarkTo(T0.plus(1_100_000))
                    .addElements(at(tooLate))
                    .advanceWatermarkToInfinity())
            .apply(ExtractTrailingFeatures.of(SPEC));

    PAssert.that(result.output())
        .satisfies(
            VectorAssertions.matchesReference(TrailingReference.vectors(SPEC, List.of(processed))));
    PAssert.that(result.failures())
        .satisfies(
            letters -> {
              List<Row> all = new ArrayList<>();
              letters.forEach(all::add);
              assertEquals("exactly the too-late event is dead-lettered", 1, all.size());
              Row letter = all.get(0);
              assertEquals(ExtractTrailingFeatures.STAGE, letter.getString(DeadLetter.STAGE));
              assertEquals(T0.plus(900_000), letter.getDateTime(DeadLetter.EVENT_TIME).toInstant());
              assertEquals(
                  "Event at 2026-01-01T00:15:00.000Z arrived after its key was featurised up to"
                      + " 2026-01-01T00:16:40.000Z, beyond the allowed lateness of 60 s",
                  letter.getString(DeadLetter.ERROR));
              return null;
            });
    pipeline.run();
  }

  @Test
  @Category({UsesTestStream.class, UsesStatefulParDo.class, UsesTimersInParDo.class})
  public void eventsOutsideTheWindowAreForgottenAfterAGap() {
    Row old = event(SPEC, "a", "c1", 500, "DE", "pos", 0);
    Row muchLater = event(SPEC, "b", "c1", 7, "FR", "pos", 4 * 3600);

    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline
            .apply(
                TestStream.create(SchemaCoder.of(SPEC.eventSchema()))
                    .addElements(at(old))
                    .advanceWatermarkTo(T0.plus(3 * 3_600_000L))
                    .addElements(at(muchLater))
                    .advanceWatermarkToInfinity())
            .apply(ExtractTrailingFeatures.of(SPEC));

    PAssert.that(result.output())
        .satisfies(
            vectors -> {
              Map<String, Row> byId = new HashMap<>();
              vectors.forEach(v -> byId.put(v.getString(FeatureVector.EVENT_ID), v));
              assertEquals(Set.of("a", "b"), byId.keySet());
              Row f = byId.get("b").getRow(FeatureVector.FEATURES);
              assertEquals(1.0, f.getDouble("count_1m"), 0);
              assertEquals(7.0, f.getDouble("sum_1h"), 0);
              assertEquals(null, f.getDouble("since_previous"));
              return null;
            });
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  @Category({UsesTestStream.class, UsesStatefulParDo.class, UsesTimersInParDo.class})
  public void stateKeepsOnlyTheLongestWindowPlusLatenessOfHistory() {
    // One event every 10 minutes for 10 hours; the longest window is 1 h, lateness 60 s.
    TestStream.Builder<Row> stream = TestStream.create(SchemaCoder.of(SPEC.eventSchema()));
    for (int i = 0; i < 60; i++) {
      Row e = event(SPEC, String.format("e%02d", i), "c1", 1, "DE", "pos", i * 600L);
      stream = stream.addElements(at(e)).advanceWatermarkTo(T0.plus((i * 600L + 1) * 1000));
    }
    pipeline.apply(stream.advanceWatermarkToInfinity()).apply(ExtractTrailingFeatures.of(SPEC));

    org.apache.beam.sdk.PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    DistributionResult history = distribution(result, ExtractTrailingFeatures.HISTORY_SIZE_METRIC);
    assertEquals(60, history.getCount());
    // Events within 61 minutes of the newest: 7 (0, 10, ..., 60 minutes back).
    assertEquals(7, history.getMax());
    // The bytes are sampled (the first flush of each worker, then one in 16), each sample the
    // encoded size of the key's whole history; these events all encode to the same size.
    DistributionResult bytes = distribution(result, ExtractTrailingFeatures.HISTORY_BYTES_METRIC);
    long oneEvent = encodedSize(event(SPEC, "e00", "c1", 1, "DE", "pos", 0));
    assertTrue(bytes.getCount() >= 60 / ExtractTrailingFeatures.HISTORY_BYTES_SAMPLE_EVERY);
    assertTrue("every flush encoded: " + bytes.getCount(), bytes.getCount() < 60);
    assertEquals(7 * oneEvent, bytes.getMax());
    assertTrue(bytes.toString(), bytes.getMin() >= oneEvent);
  }

  @Test
  @Category({
    UsesTestStream.class,
    UsesStatefulParDo.class,
    UsesTimersInParDo.class,
    NeedsWatermarkBeforeNextElement.class
  })
  public void historyStaysWhenTheElementsTimeIsAheadOfTheEventsField() {
    // As with --eventTimeFrom=kafkaTimestamp on a replayed topic: the elements (and the
    // watermark) are stamped 400 days after their events' field. The key is not idle, so its
    // history must stay: the same 7 events as on the events' own time. The flush timers (on the
    // events' field) are behind the watermark and fire at once, so an element that overtook
    // another on Flink's parallel channels would be too late: in order here.
    Duration ahead = Duration.standardDays(400);
    TestStream.Builder<Row> stream = TestStream.create(SchemaCoder.of(SPEC.eventSchema()));
    for (int i = 0; i < 60; i++) {
      Row e = event(SPEC, String.format("e%02d", i), "c1", 1, "DE", "pos", i * 600L);
      Instant stamped = e.getDateTime("time").toInstant().plus(ahead);
      stream =
          stream
              .addElements(TimestampedValue.of(e, stamped))
              .advanceWatermarkTo(T0.plus(ahead).plus((i * 600L + 1) * 1000));
    }
    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline.apply(stream.advanceWatermarkToInfinity()).apply(ExtractTrailingFeatures.of(SPEC));
    PAssert.that(result.output())
        .satisfies(
            vectors -> {
              Map<String, Row> byId = new HashMap<>();
              vectors.forEach(v -> byId.put(v.getString(FeatureVector.EVENT_ID), v));
              assertEquals(60, byId.size());
              // Amount 1 each, at 0, 10, ..., 50 minutes back: 6 in the window (t - 1 h, t].
              assertEquals(
                  6.0, byId.get("e59").getRow(FeatureVector.FEATURES).getDouble("sum_1h"), 0);
              return null;
            });
    PAssert.that(result.failures()).empty();

    org.apache.beam.sdk.PipelineResult run = pipeline.run();
    run.waitUntilFinish();
    assertEquals(7, distribution(run, ExtractTrailingFeatures.HISTORY_SIZE_METRIC).getMax());
  }

  private static DistributionResult distribution(
      org.apache.beam.sdk.PipelineResult result, String name) {
    return PipelineCounters.distribution(result, "streamml.features", name);
  }

  private static long encodedSize(Row event) {
    try {
      return org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(
              SchemaCoder.of(SPEC.eventSchema()), event)
          .length;
    } catch (org.apache.beam.sdk.coders.CoderException e) {
      throw new AssertionError(e);
    }
  }

  private static TimestampedValue<Row> at(Row event) {
    return TimestampedValue.of(event, event.getDateTime("time").toInstant());
  }

  @SuppressWarnings("unused")
  private static Instant t(long seconds) {
    return T0.plus(seconds * 1000);
  }
}
