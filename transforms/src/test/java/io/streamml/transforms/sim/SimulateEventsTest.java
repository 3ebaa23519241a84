package io.streamml.transforms.sim;

import static org.junit.Assert.assertEquals;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.ingest.ParseEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class SimulateEventsTest {

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void boundedRunGivesExactlyTheConfiguredEventsInAnyOrder() {
    SimulatorConfig config =
        SimulatorConfig.forUseCase(UseCaseSpecs.MAINTENANCE).withNumEvents(300L);
    EventSimulator simulator = EventSimulator.create(config);
    io.streamml.schemas.RowJsonCodec codec =
        io.streamml.schemas.RowJsonCodec.of(simulator.spec().eventSchema());
    List<String> expected = new ArrayList<>();
    for (long i = 0; i < 300; i++) {
      expected.add(codec.toJson(simulator.event(i)));
    }

    PAssert.that(pipeline.apply(SimulateEvents.from(config))).containsInAnyOrder(expected);
    pipeline.run();
  }

  @Test
  public void rateLimitedRunGivesTheSameEventsAtItsPace() {
    SimulatorConfig config =
        SimulatorConfig.forUseCase(UseCaseSpecs.FRAUD)
            .withNumEvents(200L)
            .withEventsPerSecond(2_000.0);
    List<String> expected = new SimulatedEventSource(config).records(200);

    PCollection<String> events = pipeline.apply(SimulateEvents.from(config));

    PAssert.that(events).containsInAnyOrder(expected);
    pipeline.run();
  }

  @Test
  public void malformedShareIsDeadLetteredAndNothingIsLost() {
    SimulatorConfig config =
        SimulatorConfig.forUseCase(UseCaseSpecs.FRAUD).withNumEvents(2_000L).withMalformedRate(0.1);
    long expectedMalformed = 0;
    for (long i = 0; i < 2_000; i++) {
      if (SimRandom.of(config.seed(), "malformed", i).nextDouble() < 0.1) {
        expectedMalformed++;
      }
    }

    WithFailures.Result<PCollection<Row>, Row> parsed =
        pipeline
            .apply(SimulateEvents.from(config))
            .apply(ParseEvents.of(UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD)));

    PAssert.thatSingleton(parsed.output().apply("CountEvents", Count.globally()))
        .isEqualTo(2_000 - expectedMalformed);
    PAssert.thatSingleton(parsed.failures().apply("CountDeadLetters", Count.globally()))
        .isEqualTo(expectedMalformed);
    pipeline.run();
  }

  @Test
  public void everyKindOfMalformedRecordIsRefused() {
    for (String useCase : UseCaseSpecs.BUILT_IN) {
      UseCaseSpec spec = UseCaseSpecs.builtIn(useCase);
      EventSimulator simulator = EventSimulator.create(SimulatorConfig.forUseCase(useCase));
      String good =
          io.streamml.schemas.RowJsonCodec.of(spec.eventSchema()).toJson(simulator.event(0));
      MalformedRecords malformed = new MalformedRecords(spec);
      List<String> broken = new ArrayList<>();
      for (MalformedRecords.Kind kind : MalformedRecords.Kind.values()) {
        broken.add(malformed.corrupt(good, kind, new SplittableRandom(kind.ordinal())));
      }

      WithFailures.Result<PCollection<Row>, Row> parsed =
          pipeline
              .apply("Create" + useCase, Create.of(broken))
              .apply("Parse" + useCase, ParseEvents.of(spec));

      PAssert.that("no " + useCase + " event survives", parsed.output()).empty();
      PAssert.that(parsed.failures())
          .satisfies(
              letters -> {
                int count = 0;
                for (Row letter : letters) {
                  count++;
                  String stage = letter.getString(DeadLetter.STAGE);
                  assertEquals(
                      true,
                      stage.equals(DeadLetter.Stage.PARSE)
                          || stage.equals(DeadLetter.Stage.VALIDATE));
                }
                assertEquals(MalformedRecords.Kind.values().length, count);
                return null;
              });
    }
    pipeline.run();
  }
}
