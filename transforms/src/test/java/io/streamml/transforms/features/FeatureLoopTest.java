package io.streamml.transforms.features;

import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.ingest.ParseEvents;
import io.streamml.transforms.sim.SimulateEvents;
import io.streamml.transforms.sim.SimulatedEventSource;
import io.streamml.transforms.sim.SimulatorConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The plain-Java loop and the Beam transform give the same vectors for both built-in specs. */
@RunWith(JUnit4.class)
public class FeatureLoopTest {

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private void assertLoopMatchesTransform(String useCase, long events) {
    UseCaseSpec spec = UseCaseSpecs.builtIn(useCase);
    SimulatorConfig config = SimulatorConfig.forUseCase(useCase).withNumEvents(events);
    RowJsonCodec codec = RowJsonCodec.of(spec.eventSchema());
    List<Row> rows = new ArrayList<>();
    new SimulatedEventSource(config).records(events).forEach(json -> rows.add(codec.parse(json)));
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
}
