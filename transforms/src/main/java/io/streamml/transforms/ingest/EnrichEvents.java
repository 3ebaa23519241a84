package io.streamml.transforms.ingest;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.EnrichmentSpec;
import io.streamml.schemas.FieldSpec;
import io.streamml.schemas.UseCaseSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * Joins each parsed event with the use case's reference tables ({@link EnrichmentSpec}): adds the
 * table's fields for the event's lookup key, or the defaults (and a count in {@code
 * streamml.enrich/unmatched_<name>}) when the key is not in the table. Never drops or fails an
 * event. Output rows have {@link UseCaseSpec#enrichedSchema()}.
 *
 * <p>Tables are side inputs: read once for bounded input; for unbounded input re-read every {@code
 * refreshSeconds}, so an updated file is picked up without a restart.
 */
public final class EnrichEvents extends PTransform<PCollection<Row>, PCollection<Row>> {

  private final UseCaseSpec spec;
  private final Map<String, String> paths;

  private EnrichEvents(UseCaseSpec spec, Map<String, String> paths) {
    this.spec = spec;
    this.paths = paths;
  }

  public static EnrichEvents of(UseCaseSpec spec) {
    return new EnrichEvents(spec, Map.of());
  }

  /** Reads enrichment {@code name}'s table from {@code path} instead of the spec's path. */
  public EnrichEvents withReferencePath(String name, String path) {
    checkArgument(
        spec.enrichments().stream().anyMatch(e -> e.name().equals(name)),
        "The spec has no enrichment named '%s'",
        name);
    checkArgument(path != null && !path.isBlank(), "path of enrichment %s is blank", name);
    Map<String, String> copy = new HashMap<>(paths);
    copy.put(name, path);
    return new EnrichEvents(spec, copy);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> events) {
    List<PCollectionView<Map<String, Row>>> tables = new ArrayList<>();
    boolean unbounded = events.isBounded() == PCollection.IsBounded.UNBOUNDED;
    for (EnrichmentSpec enrichment : spec.enrichments()) {
      String path = paths.getOrDefault(enrichment.name(), enrichment.path());
      if (path == null) {
        throw new IllegalArgumentException(
            "Enrichment '" + enrichment.name() + "' has no reference file: give its path");
      }
      tables.add(table(events, enrichment, path, unbounded));
    }
    return events
        .apply("AddReferenceFields", ParDo.of(new EnrichFn(spec, tables)).withSideInputs(tables))
        .setRowSchema(spec.enrichedSchema());
  }

  private static PCollectionView<Map<String, Row>> table(
      PCollection<Row> events, EnrichmentSpec enrichment, String path, boolean unbounded) {
    String name = enrichment.name();
    MapCoder<String, Row> coder =
        MapCoder.of(StringUtf8Coder.of(), SchemaCoder.of(enrichment.referenceSchema()));
    if (!unbounded) {
      return events
          .getPipeline()
          .apply("Trigger" + name, Create.of(0L))
          .apply("Load" + name, ParDo.of(new LoadReferenceFn<Long>(enrichment, path)))
          .setCoder(coder)
          .apply("View" + name, View.asSingleton());
    }
    // Beam's slowly-updating side input: a tick every refreshSeconds reloads the table.
    return events
        .getPipeline()
        .apply(
            "Tick" + name,
            GenerateSequence.from(0)
                .withRate(1, Duration.standardSeconds(enrichment.refreshSeconds())))
        .apply(
            "FireEachTick" + name,
            Window.<Long>into(new GlobalWindows())
                .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane()))
                .discardingFiredPanes())
        .apply("Load" + name, ParDo.of(new LoadReferenceFn<Long>(enrichment, path)))
        .setCoder(coder)
        .apply("View" + name, View.asSingleton());
  }

  private static final class EnrichFn extends DoFn<Row, Row> {
    private final UseCaseSpec spec;
    private final List<PCollectionView<Map<String, Row>>> tables;
    private final Map<String, Counter> unmatched = new HashMap<>();

    EnrichFn(UseCaseSpec spec, List<PCollectionView<Map<String, Row>>> tables) {
      this.spec = spec;
      this.tables = tables;
      for (EnrichmentSpec enrichment : spec.enrichments()) {
        unmatched.put(
            enrichment.name(),
            Metrics.counter("streamml.enrich", "unmatched_" + enrichment.name()));
      }
    }

    @ProcessElement
    public void process(@Element Row event, ProcessContext context) {
      Row.Builder enriched = Row.withSchema(spec.enrichedSchema()).addValues(event.getValues());
      for (int i = 0; i < tables.size(); i++) {
        EnrichmentSpec enrichment = spec.enrichments().get(i);
        Object key = event.getValue(enrichment.lookupField());
        Row match = key == null ? null : context.sideInput(tables.get(i)).get(key.toString());
        if (match == null) {
          unmatched.get(enrichment.name()).inc();
        }
        for (FieldSpec field : enrichment.fields()) {
          Object value =
              match != null
                  ? match.getValue(field.name())
                  : enrichment.defaults().get(field.name());
          enriched.addValue(value instanceof Number ? convert(field, (Number) value) : value);
        }
      }
      context.output(enriched.build());
    }

    /** JSON defaults arrive as Integer or Double; the schema wants the field's own type. */
    private static Object convert(FieldSpec field, Number value) {
      return field.type() == FieldSpec.Type.LONG ? (Object) value.longValue() : value.doubleValue();
    }
  }
}
