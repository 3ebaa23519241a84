package io.streamml.transforms.ingest;

import io.streamml.schemas.FieldSpec;
import io.streamml.schemas.UseCaseSpec;
import java.io.Serializable;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Checks a parsed event against the rules of its use-case spec: numeric ranges and allowed values.
 * Types and required fields were already enforced by parsing.
 */
final class EventValidator implements Serializable {

  private final UseCaseSpec spec;

  EventValidator(UseCaseSpec spec) {
    this.spec = spec;
  }

  /** The first rule the event breaks, as a readable sentence, or null if it breaks none. */
  @Nullable String firstViolation(Row event) {
    for (FieldSpec field : spec.fields()) {
      Object value = event.getValue(field.name());
      if (value == null) {
        continue;
      }
      String violation = violation(field, value);
      if (violation != null) {
        return violation;
      }
    }
    return null;
  }

  private static @Nullable String violation(FieldSpec field, Object value) {
    if (field.type().isNumeric()) {
      double number = ((Number) value).doubleValue();
      if (!Double.isFinite(number)) {
        return "Field '" + field.name() + "' is " + number + ", not a finite number";
      }
      if (field.min() != null && number < field.min()) {
        return "Field '" + field.name() + "' is " + value + ", below its minimum " + field.min();
      }
      if (field.max() != null && number > field.max()) {
        return "Field '" + field.name() + "' is " + value + ", above its maximum " + field.max();
      }
    }
    if (field.allowedValues() != null && !field.allowedValues().contains(value)) {
      return "Field '" + field.name() + "' is '" + value + "', not one of " + field.allowedValues();
    }
    return null;
  }
}
