package io.streamml.transforms.drift;

import io.streamml.schemas.FeatureVector;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Finds the profiled columns in an input schema once, at pipeline construction: each reference
 * feature as a top-level numeric field or inside a FeatureVector's {@code features} sub-row, and
 * the model score as a top-level {@code score} field if the input has one (Score rows do).
 */
final class ColumnReader implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<String> columns = new ArrayList<>();
  private final List<int[]> paths = new ArrayList<>();
  // A categorical column's reference (its values are read as category indexes), else null.
  private final List<@Nullable FeatureReference> categorical = new ArrayList<>();

  private ColumnReader() {}

  /** Only the score column (a {@code score} field), e.g. of Score rows. */
  static ColumnReader scoreOnly(Schema schema) {
    if (!schema.hasField(ReferenceProfile.SCORE)) {
      throw new IllegalArgumentException(
          "Cannot profile the score: the input has no 'score' field (its fields: "
              + schema.getFieldNames()
              + ")");
    }
    ColumnReader reader = new ColumnReader();
    reader.add(ReferenceProfile.SCORE, new int[] {schema.indexOf(ReferenceProfile.SCORE)});
    return reader;
  }

  static ColumnReader forSchema(Schema schema, ReferenceProfile reference) {
    ColumnReader reader = new ColumnReader();
    Schema features =
        schema.hasField(FeatureVector.FEATURES)
                && schema.getField(FeatureVector.FEATURES).getType().getRowSchema() != null
            ? schema.getField(FeatureVector.FEATURES).getType().getRowSchema()
            : null;
    List<String> absent = new ArrayList<>();
    for (String name : reference.featureNames()) {
      if (schema.hasField(name)) {
        reader.add(name, new int[] {schema.indexOf(name)});
      } else if (features != null && features.hasField(name)) {
        reader.add(
            name, new int[] {schema.indexOf(FeatureVector.FEATURES), features.indexOf(name)});
      } else {
        absent.add(name);
      }
    }
    if (!absent.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot profile features "
              + absent
              + ": the input has no such fields (its fields: "
              + schema.getFieldNames()
              + (features != null ? ", features: " + features.getFieldNames() : "")
              + ")");
    }
    if (schema.hasField(ReferenceProfile.SCORE)) {
      reader.add(ReferenceProfile.SCORE, new int[] {schema.indexOf(ReferenceProfile.SCORE)});
    }
    return reader;
  }

  /**
   * The reference's categorical fields but {@code except} (the segment field, whose share within
   * its own segment says nothing), read from event rows by name.
   */
  static ColumnReader forCategories(
      Schema schema, ReferenceProfile reference, @Nullable String except) {
    ColumnReader reader = new ColumnReader();
    List<String> absent = new ArrayList<>();
    for (FeatureReference field : reference.categories()) {
      if (field.name().equals(except)) {
        continue;
      }
      if (schema.hasField(field.name())) {
        reader.columns.add(field.name());
        reader.paths.add(new int[] {schema.indexOf(field.name())});
        reader.categorical.add(field);
      } else {
        absent.add(field.name());
      }
    }
    if (!absent.isEmpty() || reader.columns.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot profile categorical fields "
              + (absent.isEmpty() ? "(the reference has none)" : absent)
              + ": the events' fields are "
              + schema.getFieldNames());
    }
    return reader;
  }

  private void add(String column, int[] path) {
    columns.add(column);
    paths.add(path);
    categorical.add(null);
  }

  List<String> columns() {
    return columns;
  }

  /** Column {@code i}'s value in {@code row} as a double, or null when absent. */
  @Nullable Double value(Row row, int i) {
    int[] path = paths.get(i);
    Row holder = path.length == 1 ? row : row.getRow(path[0]);
    if (holder == null) {
      return null;
    }
    Object value = holder.getValue(path[path.length - 1]);
    FeatureReference categories = categorical.get(i);
    if (categories != null) {
      return value == null ? null : (double) categories.indexOf(String.valueOf(value));
    }
    return value instanceof Number ? ((Number) value).doubleValue() : null;
  }
}
