package io.streamml.schemas.features;

/** How a feature is computed from a key's events. */
public enum Aggregation {
  /** The current event's numeric field (per window: the latest event's). */
  VALUE(Kind.POINT, true),
  /** ln(1 + x) of the current event's numeric field, for skewed values such as amounts. */
  LOG(Kind.POINT, true),
  /** 1 if the current event matches the feature's filter, else 0. */
  INDICATOR(Kind.POINT, false),
  COUNT(Kind.WINDOW, false),
  SUM(Kind.WINDOW, true),
  MEAN(Kind.WINDOW, true),
  MIN(Kind.WINDOW, true),
  MAX(Kind.WINDOW, true),
  /** Population standard deviation. */
  STDDEV(Kind.WINDOW, true),
  /** Distinct values of a field: exact up to the spec's bound, then an HLL sketch. */
  DISTINCT_COUNT(Kind.WINDOW, true),
  /** The field's value on the latest event in the window. */
  LAST(Kind.WINDOW, true),
  /**
   * Seconds since the key's previous event (per event), or from the latest event to the window end
   * (per window). Missing when there is no such event.
   */
  TIME_SINCE_PREVIOUS(Kind.WINDOW, false),
  /** Events weighted by 0.5^(age / half-life). */
  DECAYED_COUNT(Kind.WINDOW, false),
  /** Field values weighted by 0.5^(age / half-life). */
  DECAYED_SUM(Kind.WINDOW, true),
  /** numerator / denominator, two other features; missing when the denominator is 0. */
  RATIO(Kind.DERIVED, false);

  /** Where a value comes from. */
  public enum Kind {
    POINT,
    WINDOW,
    DERIVED
  }

  private final Kind kind;
  private final boolean needsField;

  Aggregation(Kind kind, boolean needsField) {
    this.kind = kind;
    this.needsField = needsField;
  }

  public Kind kind() {
    return kind;
  }

  public boolean needsField() {
    return needsField;
  }

  /** Whether the field must be numeric (DISTINCT_COUNT also takes strings). */
  public boolean needsNumericField() {
    return needsField && this != DISTINCT_COUNT;
  }

  public boolean isDecayed() {
    return this == DECAYED_COUNT || this == DECAYED_SUM;
  }
}
