package io.streamml.schemas.features;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Keeps the events whose field equals a value, e.g. {@code channel == "online"}. */
public final class FeatureFilter implements Serializable {

  private final String field;
  private final Object equalsValue;

  @JsonCreator
  public FeatureFilter(
      @JsonProperty(value = "field", required = true) String field,
      @JsonProperty(value = "equals", required = true) Object equalsValue) {
    this.field = Objects.requireNonNull(field, "filter field");
    this.equalsValue = Objects.requireNonNull(equalsValue, "filter value of " + field);
  }

  public static FeatureFilter fieldEquals(String field, Object value) {
    return new FeatureFilter(field, value);
  }

  @JsonProperty("field")
  public String field() {
    return field;
  }

  @JsonProperty("equals")
  public Object equalsValue() {
    return equalsValue;
  }

  public boolean matches(Row event) {
    Object value = event.getValue(field);
    if (value == null) {
      return false;
    }
    if (value instanceof Number && equalsValue instanceof Number) {
      return ((Number) value).doubleValue() == ((Number) equalsValue).doubleValue();
    }
    return value.toString().equals(equalsValue.toString());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof FeatureFilter
        && field.equals(((FeatureFilter) o).field)
        && equalsValue.equals(((FeatureFilter) o).equalsValue);
  }

  @Override
  public int hashCode() {
    return Objects.hash(field, equalsValue);
  }

  @Override
  public String toString() {
    return field + " == " + equalsValue;
  }
}
