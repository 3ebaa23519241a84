package io.streamml.transforms.features;

import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.ingest.ParseEvents;
import io.streamml.transforms.sim.SimulateEvents;
import io.streamml.transforms.sim.SimulatedEventSource;
import io.streamml.transforms.sim.SimulatorConfig;
import io.streamml.transforms.testing.RunnerCapabilities;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The plain-Java loop and the Beam transform give the same vectors for both built-in specs, over
 * bounded input and, for per-window features (whose bounded path shares the loop's windowing), over
 * the same events as a stream through the runner's own windows and triggers.
 */
@RunWith(JUnit4.class)
public class FeatureLoopTest {

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static List<Row> simulated(UseCaseSpec spec, SimulatorConfig config, long events) {
    RowJsonCodec codec = RowJsonCodec.of(spec.eventSchema());
    List<Row> rows = new ArrayList<>();
    new SimulatedEventSource(config).records(events).forEach(json -> rows.add(codec.parse(json)));
    return rows;
  }

  private void assertLoopMatchesTransform(String useCase, long events) {
    UseCaseSpec spec = UseCaseSpecs.builtIn(useCase);
    SimulatorConfig config = SimulatorConfig.forUseCase(useCase).withNumEvents(events);
    List<Row> rows = simulated(spec, config, events);
    List<Row> expected = new ArrayList<>();
    FeatureLoop.computeAll(spec, rows, expected::add);

    PCollection<Row> vectors =
        pipeline
            .apply(SimulateEvents.from(config))
            .apply(ParseEvents.of(spec))
            .output()
            .apply(WindowedFeatures.of(spec))
            .output();

    PAssert.that(vectors).satisfies(VectorAssertions.matchesReference(expected));
    pipeline.run();
  }

  @Test
  public void fraudPerEventFeaturesMatch() {
    assertLoopMatchesTransform(UseCaseSpecs.FRAUD, 3_000);
  }

  @Test
  public void maintenancePerWindowFeaturesMatch() {
    assertLoopMatchesTransform(UseCaseSpecs.MAINTENANCE, 3_000);
  }

  @Test
  @Category(UsesTestStream.class)
  public void maintenancePerWindowFeaturesOfAStreamMatch() {
    UseCaseSpec spec = UseCaseSpecs.builtIn(UseCaseSpecs.MAINTENANCE);
    SimulatorConfig config =
        SimulatorConfig.forUseCase(UseCaseSpecs.MAINTENANCE).withNumEvents(400L);
    List<Row> rows = simulated(spec, config, 400);
    List<Row> expected = new ArrayList<>();
    FeatureLoop.computeAll(spec, rows, expected::add);
    TestStream.Builder<Row> stream = TestStream.create(SchemaCoder.of(spec.eventSchema()));
    for (Row row : rows) {
      stream =
          stream.addElements(
              TimestampedValue.of(row, row.getDateTime(spec.eventTimeField()).toInstant()));
    }

    PCollection<Row> vectors =
        pipeline
            .apply(stream.advanceWatermarkToInfinity())
            .apply(WindowedFeatures.of(spec))
            .output();

    PAssert.that(vectors).satisfies(VectorAssertions.matchesReference(expected));
    pipeline.run();
  }
}
