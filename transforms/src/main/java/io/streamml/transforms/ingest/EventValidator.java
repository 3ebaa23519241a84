package io.streamml.transforms.ingest;

import io.streamml.schemas.FieldSpec;
import io.streamml.schemas.UseCaseSpec;
import java.io.Serializable;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Checks a parsed event against the rules of its use-case spec (numeric ranges, allowed values) and
 * the {@link IngestLimits} (text length, event time between the earliest allowed and a bound ahead
 * of the clock). Types and required fields were already enforced by parsing.
 */
final class EventValidator implements Serializable {

  private final UseCaseSpec spec;
  private final IngestLimits limits;

  EventValidator(UseCaseSpec spec, IngestLimits limits) {
    this.spec = spec;
    this.limits = limits;
  }

  /**
   * The first rule the event breaks, as a readable sentence, or null if it breaks none. {@code now}
   * is the reading worker's clock, for the bound on event times ahead of it.
   */
  @Nullable String firstViolation(Row event, Instant now) {
    Instant eventTime = event.getDateTime(spec.eventTimeField()).toInstant();
    if (eventTime.isBefore(limits.earliestEventTime())) {
      return "Field '"
          + spec.eventTimeField()
          + "' is "
          + eventTime
          + ", before the earliest accepted event time "
          + limits.earliestEventTime();
    }
    if (eventTime.isAfter(now.plus(limits.maxAhead()))) {
      // The clock is not in the reason, so the same record gets the same reason on every run.
      return "Field '"
          + spec.eventTimeField()
          + "' is "
          + eventTime
          + ", more than "
          + limits.maxAhead().getStandardSeconds()
          + " s ahead of the clock of the worker that read it";
    }
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

  private @Nullable String violation(FieldSpec field, Object value) {
    if (value instanceof String && ((String) value).length() > limits.maxStringLength()) {
      return "Field '"
          + field.name()
          + "' is "
          + ((String) value).length()
          + " characters long, above the limit of "
          + limits.maxStringLength();
    }
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
