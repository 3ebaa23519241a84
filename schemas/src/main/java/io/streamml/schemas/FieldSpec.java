package io.streamml.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.schemas.Schema;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One field of a use case's event: its JSON name, type, and the validation rules an event must pass
 * before it reaches feature extraction.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FieldSpec implements Serializable {

  /** Field types an event may carry. {@code TIMESTAMP} is ISO-8601 text in JSON. */
  public enum Type {
    STRING(Schema.FieldType.STRING),
    DOUBLE(Schema.FieldType.DOUBLE),
    LONG(Schema.FieldType.INT64),
    BOOLEAN(Schema.FieldType.BOOLEAN),
    TIMESTAMP(Schema.FieldType.DATETIME);

    private final Schema.FieldType beamType;

    Type(Schema.FieldType beamType) {
      this.beamType = beamType;
    }

    public Schema.FieldType beamType() {
      return beamType;
    }

    public boolean isNumeric() {
      return this == DOUBLE || this == LONG;
    }
  }

  private final String name;
  private final Type type;
  private final boolean nullable;
  private final @Nullable Double min;
  private final @Nullable Double max;
  private final @Nullable List<String> allowedValues;

  @JsonCreator
  public FieldSpec(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "type", required = true) Type type,
      @JsonProperty("nullable") @Nullable Boolean nullable,
      @JsonProperty("min") @Nullable Double min,
      @JsonProperty("max") @Nullable Double max,
      @JsonProperty("allowedValues") @Nullable List<String> allowedValues) {
    this.name = requireNonBlank(name);
    this.type = Objects.requireNonNull(type, "type of field " + name);
    this.nullable = nullable != null && nullable;
    this.min = min;
    this.max = max;
    this.allowedValues = allowedValues == null ? null : List.copyOf(allowedValues);
    if ((min != null || max != null) && !type.isNumeric()) {
      throw new IllegalArgumentException(
          "Field '" + name + "' has min/max but is not numeric (" + type + ")");
    }
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException(
          "Field '" + name + "' has min " + min + " greater than max " + max);
    }
    if (allowedValues != null && type != Type.STRING) {
      throw new IllegalArgumentException(
          "Field '" + name + "' has allowedValues but is not a STRING (" + type + ")");
    }
  }

  public static FieldSpec of(String name, Type type) {
    return new FieldSpec(name, type, false, null, null, null);
  }

  public FieldSpec nullable() {
    return new FieldSpec(name, type, true, min, max, allowedValues);
  }

  public FieldSpec withRange(@Nullable Double min, @Nullable Double max) {
    return new FieldSpec(name, type, nullable, min, max, allowedValues);
  }

  public FieldSpec withAllowedValues(List<String> values) {
    return new FieldSpec(name, type, nullable, min, max, values);
  }

  @JsonProperty("name")
  public String name() {
    return name;
  }

  @JsonProperty("type")
  public Type type() {
    return type;
  }

  @JsonProperty("nullable")
  public boolean isNullable() {
    return nullable;
  }

  @JsonProperty("min")
  public @Nullable Double min() {
    return min;
  }

  @JsonProperty("max")
  public @Nullable Double max() {
    return max;
  }

  @JsonProperty("allowedValues")
  public @Nullable List<String> allowedValues() {
    return allowedValues;
  }

  Schema.Field toBeamField() {
    Schema.Field field = Schema.Field.of(name, type.beamType());
    return nullable ? field.withNullable(true) : field;
  }

  private static String requireNonBlank(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A field has no name");
    }
    return name;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof FieldSpec)) {
      return false;
    }
    FieldSpec that = (FieldSpec) o;
    return name.equals(that.name)
        && type == that.type
        && nullable == that.nullable
        && Objects.equals(min, that.min)
        && Objects.equals(max, that.max)
        && Objects.equals(allowedValues, that.allowedValues);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, nullable, min, max, allowedValues);
  }

  @Override
  public String toString() {
    return name + ":" + type + (nullable ? "?" : "");
  }
}
