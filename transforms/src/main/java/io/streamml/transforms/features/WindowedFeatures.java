package io.streamml.transforms.features;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.FeatureSetSpec;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The features a use-case spec declares, computed from its parsed events (timestamped at event
 * time, as {@code ParseEvents} outputs them), on bounded or unbounded input alike: {@link
 * ExtractTrailingFeatures} for the per-event shape, {@link ExtractWindowFeatures} per window.
 * Output: FeatureVector rows, and dead letters for events too late to featurise.
 */
public final class WindowedFeatures
    extends PTransform<PCollection<Row>, WithFailures.Result<PCollection<Row>, Row>> {

  private final UseCaseSpec spec;

  private WindowedFeatures(UseCaseSpec spec) {
    this.spec = spec;
  }

  public static WindowedFeatures of(UseCaseSpec spec) {
    if (spec.features() == null) {
      throw new IllegalArgumentException("Use case '" + spec.name() + "' declares no features");
    }
    return new WindowedFeatures(spec);
  }

  @Override
  public WithFailures.Result<PCollection<Row>, Row> expand(PCollection<Row> events) {
    if (spec.features().shape() == FeatureSetSpec.Shape.PER_EVENT) {
      return events.apply("ExtractTrailingFeatures", ExtractTrailingFeatures.of(spec));
    }
    PCollection<Row> vectors =
        events.apply("ExtractWindowFeatures", ExtractWindowFeatures.of(spec));
    PCollection<Row> none =
        events.getPipeline().apply("NoLateEventDeadLetters", Create.empty(DeadLetter.SCHEMA));
    return WithFailures.Result.of(vectors, none);
  }
}
