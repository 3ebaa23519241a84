package io.streamml.transforms.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.streamml.schemas.FieldSpec;
import io.streamml.schemas.UseCaseSpec;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The training-time reference of each categorical field of a use case (string fields with allowed
 * values, e.g. merchant category or machine type) over all its events: one JSON document, {@link
 * #toJson} of the {@link FeatureReference#categorical} references, that {@code streamml train}
 * stores in the bundle's profile so drift can compare categories too. Counts merge across workers
 * (a CombineFn), so the cost does not grow with the number of workers.
 */
public final class CountCategories extends PTransform<PCollection<Row>, PCollection<String>> {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final UseCaseSpec spec;

  private CountCategories(UseCaseSpec spec) {
    this.spec = spec;
  }

  public static CountCategories of(UseCaseSpec spec) {
    return new CountCategories(spec);
  }

  /** The spec's categorical fields: strings with allowed values, other than the id and key. */
  public static List<FieldSpec> categoricalFields(UseCaseSpec spec) {
    List<FieldSpec> fields = new ArrayList<>();
    for (FieldSpec field : spec.fields()) {
      if (field.type() == FieldSpec.Type.STRING
          && field.allowedValues() != null
          && !field.allowedValues().isEmpty()
          && !field.name().equals(spec.idField())
          && !field.name().equals(spec.keyField())) {
        fields.add(field);
      }
    }
    return fields;
  }

  @Override
  public PCollection<String> expand(PCollection<Row> events) {
    List<FieldSpec> fields = categoricalFields(spec);
    return events
        // One count over everything read: fired once the input ends (a bounded read of Kafka is
        // unbounded-typed, so the default trigger would be refused).
        .apply(
            "IntoOneWindow",
            Window.<Row>into(new GlobalWindows())
                .triggering(AfterWatermark.pastEndOfWindow())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply("CountPerCategory", Combine.globally(new CountFn(fields)).withoutDefaults())
        .apply(
            "AsJson",
            MapElements.into(TypeDescriptors.strings()).via(counts -> toJson(counts.references())));
  }

  /** The references as one JSON array. */
  public static String toJson(List<FeatureReference> references) {
    ArrayNode array = MAPPER.createArrayNode();
    references.forEach(r -> array.add(r.toJson()));
    return array.toString();
  }

  /** Parses {@link #toJson}; IllegalArgumentException naming what is wrong. */
  public static List<FeatureReference> fromJson(String json) {
    JsonNode array;
    try {
      array = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("category counts are not JSON: " + e.getMessage(), e);
    }
    List<FeatureReference> references = new ArrayList<>();
    array.forEach(node -> references.add(FeatureReference.fromJson(node)));
    return references;
  }

  /** Counts per field: one per category, one for other values, and the nulls. */
  static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<FieldSpec> fields;
    final long[][] counts;
    final long[] missing;

    Counts(List<FieldSpec> fields) {
      this.fields = fields;
      this.counts = new long[fields.size()][];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new long[fields.get(i).allowedValues().size() + 1];
      }
      this.missing = new long[fields.size()];
    }

    void add(Row event) {
      for (int i = 0; i < counts.length; i++) {
        Object value = event.getValue(fields.get(i).name());
        if (value == null) {
          missing[i]++;
        } else {
          int index = fields.get(i).allowedValues().indexOf(String.valueOf(value));
          counts[i][index >= 0 ? index : counts[i].length - 1]++;
        }
      }
    }

    void merge(Counts other) {
      for (int i = 0; i < counts.length; i++) {
        for (int j = 0; j < counts[i].length; j++) {
          counts[i][j] += other.counts[i][j];
        }
        missing[i] += other.missing[i];
      }
    }

    List<FeatureReference> references() {
      List<FeatureReference> references = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        references.add(
            FeatureReference.categorical(
                fields.get(i).name(), fields.get(i).allowedValues(), counts[i], missing[i]));
      }
      return references;
    }
  }

  private static final class CountFn extends Combine.CombineFn<Row, Counts, Counts> {
    private final List<FieldSpec> fields;

    CountFn(List<FieldSpec> fields) {
      this.fields = fields;
    }

    @Override
    public Counts createAccumulator() {
      return new Counts(fields);
    }

    @Override
    public Counts addInput(Counts counts, Row event) {
      counts.add(event);
      return counts;
    }

    @Override
    public Counts mergeAccumulators(Iterable<Counts> accumulators) {
      Counts merged = createAccumulator();
      accumulators.forEach(merged::merge);
      return merged;
    }

    @Override
    public Counts extractOutput(Counts counts) {
      return counts;
    }

    @Override
    public Coder<Counts> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder) {
      return SerializableCoder.of(Counts.class);
    }
  }
}
