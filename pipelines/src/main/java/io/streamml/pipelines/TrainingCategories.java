package io.streamml.pipelines;

import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.drift.CountCategories;
import io.streamml.transforms.drift.FeatureReference;
import io.streamml.transforms.io.WriteLines;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The training events' category counts (see {@link CountCategories}): written by the job that
 * builds the training set, read back when the model is registered, so the bundle's reference
 * profile covers the categorical fields drift compares.
 */
final class TrainingCategories {

  private TrainingCategories() {}

  /** Where the counts of a run's training events go: {@code <output>/reference/categories-*}. */
  static String prefix(String output) {
    return OutputFiles.join(output, "reference/categories");
  }

  /** Adds the counting and its one-file write; nothing for a spec without categorical fields. */
  static void write(PCollection<Row> events, UseCaseSpec spec, String prefix) {
    if (CountCategories.categoricalFields(spec).isEmpty()) {
      return;
    }
    events
        .apply("CountCategories", CountCategories.of(spec))
        .apply("WriteCategoryCounts", WriteLines.to(prefix).withNumShards(1));
  }

  /** The counts written under {@code prefix}; none if nothing was written there. */
  static List<FeatureReference> read(String prefix) {
    List<String> lines = new ArrayList<>();
    OutputFiles.forEachLine(prefix + "*", lines::add);
    return lines.isEmpty() ? List.of() : CountCategories.fromJson(lines.get(lines.size() - 1));
  }
}
