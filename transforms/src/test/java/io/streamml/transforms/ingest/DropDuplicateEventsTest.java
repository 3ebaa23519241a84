package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.DeadLetter;
import io.streamml.transforms.testing.NeedsWatermarkBeforeNextElement;
import io.streamml.transforms.testing.RunnerCapabilities;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class DropDuplicateEventsTest {

  private static final Schema EVENT =
      Schema.builder().addStringField("id").addInt64Field("amount").build();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration HORIZON = Duration.standardMinutes(1);

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Row event(String id, long amount) {
    return Row.withSchema(EVENT).addValues(id, amount).build();
  }

  private static TimestampedValue<Row> at(String id, long amount, long seconds) {
    return TimestampedValue.of(event(id, amount), T0.plus(Duration.standardSeconds(seconds)));
  }

  private static PCollection<String> idsAndAmounts(PCollection<Row> events) {
    return events.apply(
        "IdAndAmount",
        MapElements.into(TypeDescriptors.strings())
            .via(e -> e.getString("id") + "/" + e.getInt64("amount")));
  }

  @Test
  public void aRepeatWithinTheHorizonIsADeadLetterAndOneFurtherAwayANewEvent() {
    // a/1 and a/2 are 10 s apart (a/2, the later, is the copy); a/3 is 10 minutes later (a new
    // event). A bounded input has no order: they are compared in event-time order.
    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline
            .apply(
                Create.timestamped(
                        at("a", 3, 600),
                        at("a", 1, 0),
                        at("b", 7, 5),
                        at("a", 2, 10),
                        at("c", 9, 5))
                    .withCoder(SchemaCoder.of(EVENT)))
            .apply(DropDuplicateEvents.byId("id", HORIZON, "test-source"));

    PAssert.that(idsAndAmounts(result.output()))
        .satisfies(
            kept -> {
              List<String> sorted = new ArrayList<>();
              kept.forEach(sorted::add);
              sorted.sort(null);
              assertEquals(5 - 1, sorted.size());
              assertTrue(sorted.toString(), sorted.contains("a/3"));
              assertTrue(sorted.contains("b/7") && sorted.contains("c/9"));
              assertTrue(sorted.toString(), sorted.contains("a/1") && !sorted.contains("a/2"));
              return null;
            });
    PAssert.that(result.failures())
        .satisfies(
            letters -> {
              List<Row> all = new ArrayList<>();
              letters.forEach(all::add);
              assertEquals(1, all.size());
              Row letter = all.get(0);
              assertEquals(DeadLetter.Stage.DEDUPE, letter.getString(DeadLetter.STAGE));
              assertEquals("test-source", letter.getString(DeadLetter.SOURCE));
              String error = letter.getString(DeadLetter.ERROR);
              assertTrue(error, error.startsWith("Duplicate event id 'a': an event with this id"));
              assertTrue(error, error.contains("within 60 s of event time"));
              String payload = letter.getString(DeadLetter.RAW_PAYLOAD);
              assertEquals("{\"id\":\"a\",\"amount\":2}", payload);
              assertTrue(
                  error, error.contains("at 2026-01-01T00:00:00.000Z was already let through"));
              return null;
            });
    pipeline.run();
  }

  /** An event's id and its element timestamp. */
  private static final class StampFn extends org.apache.beam.sdk.transforms.DoFn<Row, String> {
    @ProcessElement
    public void process(@Element Row e, @Timestamp Instant t, OutputReceiver<String> out) {
      out.output(e.getString("id") + "@" + t);
    }
  }

  @Test
  public void eventsKeepTheirTimestamps() {
    PCollection<Row> kept =
        pipeline
            .apply(
                Create.timestamped(at("a", 1, 0), at("b", 2, 30), at("a", 3, 5))
                    .withCoder(SchemaCoder.of(EVENT)))
            .apply(DropDuplicateEvents.byId("id", HORIZON, "test-source"))
            .output();
    PAssert.that(kept.apply("Stamp", org.apache.beam.sdk.transforms.ParDo.of(new StampFn())))
        .containsInAnyOrder("a@2026-01-01T00:00:00.000Z", "b@2026-01-01T00:00:30.000Z");
    pipeline.run();
  }

  @Test
  public void keptEventsAreOnTimeForEventTimeWindowsDownstream() {
    // An archive cuts files in fixed windows after de-duplication. If the kept events came out
    // behind the watermark (a grouping stamped at the end of the global window, then each event
    // back at its own time), such a window would drop them all as late.
    PCollection<Row> kept =
        pipeline
            .apply(
                Create.timestamped(at("a", 1, 0), at("b", 2, 70), at("a", 3, 5), at("c", 4, 130))
                    .withCoder(SchemaCoder.of(EVENT)))
            .apply(DropDuplicateEvents.byId("id", HORIZON, "test-source"))
            .output();
    PCollection<Long> perMinute =
        kept.apply("Minutes", Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply("CountPerMinute", Combine.globally(Count.<Row>combineFn()).withoutDefaults());
    PAssert.that(perMinute).containsInAnyOrder(1L, 1L, 1L);
    pipeline.run();
  }

  @Test
  @Category(UsesTestStream.class)
  public void aStreamDeadLettersACopyWhileItsIdIsRemembered() {
    TestStream<Row> stream =
        TestStream.create(SchemaCoder.of(EVENT))
            .addElements(at("a", 1, 0), at("b", 1, 0))
            .advanceWatermarkTo(T0.plus(Duration.standardSeconds(30)))
            .addElements(at("a", 2, 40), at("b", 2, 500))
            .advanceWatermarkToInfinity();

    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline.apply(stream).apply(DropDuplicateEvents.byId("id", HORIZON, "live"));

    PAssert.that(idsAndAmounts(result.output())).containsInAnyOrder("a/1", "b/1", "b/2");
    PAssert.that(
            result
                .failures()
                .apply(
                    "Stage",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            l -> l.getString(DeadLetter.STAGE) + " " + l.getString("raw_payload"))))
        .containsInAnyOrder("dedupe {\"id\":\"a\",\"amount\":2}");
    pipeline.run();
  }

  @Test
  // The late copy must arrive after the watermark has fired the forget timer.
  @Category({UsesTestStream.class, NeedsWatermarkBeforeNextElement.class})
  public void anIdIsForgottenOnceTheWatermarkIsAHorizonPastIt() {
    TestStream<Row> stream =
        TestStream.create(SchemaCoder.of(EVENT))
            .addElements(at("a", 1, 0))
            .addElements(at("a", 2, 30))
            // Past a/1's horizon (and the step expired ids are dropped in): a/1 is forgotten.
            .advanceWatermarkTo(T0.plus(HORIZON.multipliedBy(2)))
            // Within a horizon of a/1 but after its state was dropped: let through again. State
            // per id is bounded by the horizon; a copy this late is not caught.
            .addElements(at("a", 3, 50))
            .advanceWatermarkToInfinity();

    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline.apply(stream).apply(DropDuplicateEvents.byId("id", HORIZON, "live"));

    PAssert.that(idsAndAmounts(result.output())).containsInAnyOrder("a/1", "a/3");
    PAssert.that(
            result
                .failures()
                .apply(
                    "Payload",
                    MapElements.into(TypeDescriptors.strings())
                        .via(l -> l.getString(DeadLetter.RAW_PAYLOAD))))
        .containsInAnyOrder("{\"id\":\"a\",\"amount\":2}");
    pipeline.run();
  }
}
