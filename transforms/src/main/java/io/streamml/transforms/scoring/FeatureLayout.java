package io.streamml.transforms.scoring;

import io.streamml.schemas.FeatureVector;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.joda.time.ReadableInstant;

/**
 * Where the features and the identity of a scored row are in the input: a FeatureVector (features
 * in its {@code features} sub-row) or a plain row whose numeric fields are the features (identity
 * from its optional {@code key}, {@code event_id}, {@code feature_time} and {@code label} fields).
 * Features are matched to a model by name, never by position.
 */
final class FeatureLayout implements Serializable {

  private final Schema input;
  private final boolean vectors;
  private final Schema featureSchema;
  // Positions of the identity fields in the input (-1: absent or of another type), looked up once.
  private final int featuresIndex;
  private final int keyIndex;
  private final int eventIdIndex;
  private final int timeIndex;
  private final int labelIndex;

  FeatureLayout(Schema input) {
    this.input = input;
    this.vectors =
        input.hasField(FeatureVector.FEATURES)
            && input.getField(FeatureVector.FEATURES).getType().getTypeName()
                == Schema.TypeName.ROW;
    this.featureSchema =
        vectors
            ? input.getField(FeatureVector.FEATURES).getType().getRowSchema()
            : plainFeatures(input);
    this.featuresIndex = vectors ? input.indexOf(FeatureVector.FEATURES) : -1;
    this.keyIndex = index(input, FeatureVector.KEY, null);
    this.eventIdIndex = index(input, FeatureVector.EVENT_ID, null);
    this.timeIndex = index(input, FeatureVector.FEATURE_TIME, Schema.TypeName.DATETIME);
    this.labelIndex =
        input.hasField(FeatureVector.LABEL)
                && input.getField(FeatureVector.LABEL).getType().getTypeName().isNumericType()
            ? input.indexOf(FeatureVector.LABEL)
            : -1;
  }

  private static int index(Schema input, String name, Schema.@Nullable TypeName type) {
    if (!input.hasField(name)) {
      return -1;
    }
    return type == null || input.getField(name).getType().getTypeName() == type
        ? input.indexOf(name)
        : -1;
  }

  private static Schema plainFeatures(Schema input) {
    Schema.Builder builder = Schema.builder();
    for (Schema.Field field : input.getFields()) {
      if (!isIdentity(field.getName())) {
        builder.addField(field);
      }
    }
    return builder.build();
  }

  private static boolean isIdentity(String name) {
    return name.equals(FeatureVector.KEY)
        || name.equals(FeatureVector.EVENT_ID)
        || name.equals(FeatureVector.FEATURE_TIME)
        || name.equals(FeatureVector.LABEL);
  }

  /** The input's feature names, in its order. */
  List<String> featureNames() {
    return featureSchema.getFieldNames();
  }

  /**
   * Why the input cannot be scored by a model with these features, or null if it can: a model
   * feature the input lacks or holds as a non-number, or (for FeatureVectors) input features the
   * model was not trained on, which means the vectors come from another spec than the model's.
   */
  @Nullable String mismatch(List<String> modelFeatures, String modelVersion) {
    List<String> missing = new ArrayList<>();
    List<String> notNumeric = new ArrayList<>();
    for (String name : modelFeatures) {
      if (!featureSchema.hasField(name)) {
        missing.add(name);
      } else if (!featureSchema.getField(name).getType().getTypeName().isNumericType()) {
        notNumeric.add(name + " (" + featureSchema.getField(name).getType().getTypeName() + ")");
      }
    }
    List<String> unknown = new ArrayList<>();
    if (vectors) {
      for (String name : featureSchema.getFieldNames()) {
        if (!modelFeatures.contains(name)) {
          unknown.add(name);
        }
      }
    }
    if (missing.isEmpty() && notNumeric.isEmpty() && unknown.isEmpty()) {
      return null;
    }
    StringBuilder why = new StringBuilder("model " + modelVersion + " cannot score these rows:");
    if (!missing.isEmpty()) {
      why.append(" it needs features ").append(missing).append(" that the input lacks;");
    }
    if (!notNumeric.isEmpty()) {
      why.append(" features ").append(notNumeric).append(" are not numbers;");
    }
    if (!unknown.isEmpty()) {
      why.append(" the input has features ").append(unknown).append(" it was not trained on;");
    }
    why.append(" model features ")
        .append(modelFeatures)
        .append(", input features ")
        .append(featureSchema.getFieldNames());
    return why.toString();
  }

  /**
   * Positions of {@code modelFeatures} in the row holding the features (the sub-row of a
   * FeatureVector, else the row); check {@link #mismatch} first.
   */
  int[] indexes(List<String> modelFeatures) {
    Schema holder = vectors ? featureSchema : input;
    int[] indexes = new int[modelFeatures.size()];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = holder.indexOf(modelFeatures.get(i));
    }
    return indexes;
  }

  /**
   * Writes row's features in model order into {@code values} from {@code offset} (null = NaN);
   * returns -1, or the position in {@code indexes} of a feature that is infinite as a float
   * (infinite, or a double beyond float range), where it stops.
   */
  int fill(Row row, int[] indexes, float[] values, int offset) {
    Row features = vectors ? row.getRow(featuresIndex) : row;
    for (int j = 0; j < indexes.length; j++) {
      Object value = features == null ? null : features.getValue(indexes[j]);
      float f = value == null ? Float.NaN : ((Number) value).floatValue();
      if (Float.isInfinite(f)) {
        return j;
      }
      values[offset + j] = f;
    }
    return -1;
  }

  /** The feature's value in the row, null if missing. */
  @Nullable Double value(Row row, String feature) {
    Row features = vectors ? row.getRow(FeatureVector.FEATURES) : row;
    Object value = features == null ? null : features.getValue(feature);
    return value == null ? null : ((Number) value).doubleValue();
  }

  String key(Row row) {
    if (keyIndex < 0) {
      return "";
    }
    Object key = row.getValue(keyIndex);
    return key == null ? "" : String.valueOf((Object) key);
  }

  @Nullable String eventId(Row row) {
    if (eventIdIndex < 0) {
      return null;
    }
    Object id = row.getValue(eventIdIndex);
    return id == null ? null : String.valueOf((Object) id);
  }

  Instant featureTime(Row row, Instant elementTimestamp) {
    if (timeIndex >= 0) {
      ReadableInstant time = row.getValue(timeIndex);
      if (time != null) {
        return time.toInstant();
      }
    }
    return elementTimestamp;
  }

  @Nullable Double label(Row row) {
    if (labelIndex < 0) {
      return null;
    }
    Object label = row.getValue(labelIndex);
    return label == null ? null : ((Number) label).doubleValue();
  }
}
