package io.streamml.schemas.features;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One feature: its name, aggregation, input field (none for counts), trailing window (per-event
 * shape only), half-life (decayed aggregations), optional filter, and for ratios the two features
 * it divides.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FeatureDefinition implements Serializable {

  private final String name;
  private final Aggregation aggregation;
  private final @Nullable String field;
  private final @Nullable Long windowSeconds;
  private final @Nullable Double halfLifeSeconds;
  private final @Nullable FeatureFilter filter;
  private final @Nullable String numerator;
  private final @Nullable String denominator;

  @JsonCreator
  public FeatureDefinition(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "aggregation", required = true) Aggregation aggregation,
      @JsonProperty("field") @Nullable String field,
      @JsonProperty("windowSeconds") @Nullable Long windowSeconds,
      @JsonProperty("halfLifeSeconds") @Nullable Double halfLifeSeconds,
      @JsonProperty("filter") @Nullable FeatureFilter filter,
      @JsonProperty("numerator") @Nullable String numerator,
      @JsonProperty("denominator") @Nullable String denominator) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A feature has no name");
    }
    this.name = name;
    this.aggregation = Objects.requireNonNull(aggregation, "aggregation of feature " + name);
    this.field = field;
    this.windowSeconds = windowSeconds;
    this.halfLifeSeconds = halfLifeSeconds;
    this.filter = filter;
    this.numerator = numerator;
    this.denominator = denominator;
    if (aggregation.needsField() && field == null) {
      throw invalid(aggregation + " needs a field");
    }
    if (aggregation == Aggregation.INDICATOR && filter == null) {
      throw invalid("INDICATOR needs a filter");
    }
    if (aggregation.isDecayed() && (halfLifeSeconds == null || halfLifeSeconds <= 0)) {
      throw invalid(aggregation + " needs halfLifeSeconds > 0");
    }
    if (aggregation == Aggregation.RATIO && (numerator == null || denominator == null)) {
      throw invalid("RATIO needs a numerator and a denominator feature");
    }
    if (windowSeconds != null && windowSeconds <= 0) {
      throw invalid("windowSeconds must be > 0, not " + windowSeconds);
    }
  }

  /** A feature of the given aggregation; refine it with the {@code with...} methods. */
  public static FeatureDefinition of(String name, Aggregation aggregation, @Nullable String field) {
    return new FeatureDefinition(
        name, aggregation, field, null, aggregation.isDecayed() ? 3600.0 : null, null, null, null);
  }

  /** 1 when the current event matches {@code filter}, else 0. */
  public static FeatureDefinition indicator(String name, FeatureFilter filter) {
    return new FeatureDefinition(name, Aggregation.INDICATOR, null, null, null, filter, null, null);
  }

  public static FeatureDefinition ratio(String name, String numerator, String denominator) {
    return new FeatureDefinition(
        name, Aggregation.RATIO, null, null, null, null, numerator, denominator);
  }

  public FeatureDefinition withWindowSeconds(long seconds) {
    return new FeatureDefinition(
        name, aggregation, field, seconds, halfLifeSeconds, filter, numerator, denominator);
  }

  public FeatureDefinition withHalfLifeSeconds(double seconds) {
    return new FeatureDefinition(
        name, aggregation, field, windowSeconds, seconds, filter, numerator, denominator);
  }

  public FeatureDefinition withFilter(FeatureFilter filter) {
    return new FeatureDefinition(
        name, aggregation, field, windowSeconds, halfLifeSeconds, filter, numerator, denominator);
  }

  private IllegalArgumentException invalid(String problem) {
    return new IllegalArgumentException("Feature '" + name + "': " + problem);
  }

  @JsonProperty("name")
  public String name() {
    return name;
  }

  @JsonProperty("aggregation")
  public Aggregation aggregation() {
    return aggregation;
  }

  @JsonProperty("field")
  public @Nullable String field() {
    return field;
  }

  @JsonProperty("windowSeconds")
  public @Nullable Long windowSeconds() {
    return windowSeconds;
  }

  @JsonProperty("halfLifeSeconds")
  public @Nullable Double halfLifeSeconds() {
    return halfLifeSeconds;
  }

  @JsonProperty("filter")
  public @Nullable FeatureFilter filter() {
    return filter;
  }

  @JsonProperty("numerator")
  public @Nullable String numerator() {
    return numerator;
  }

  @JsonProperty("denominator")
  public @Nullable String denominator() {
    return denominator;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof FeatureDefinition)) {
      return false;
    }
    FeatureDefinition that = (FeatureDefinition) o;
    return name.equals(that.name)
        && aggregation == that.aggregation
        && Objects.equals(field, that.field)
        && Objects.equals(windowSeconds, that.windowSeconds)
        && Objects.equals(halfLifeSeconds, that.halfLifeSeconds)
        && Objects.equals(filter, that.filter)
        && Objects.equals(numerator, that.numerator)
        && Objects.equals(denominator, that.denominator);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, aggregation, field, windowSeconds, halfLifeSeconds, filter);
  }

  @Override
  public String toString() {
    return name + "=" + aggregation + (field == null ? "" : "(" + field + ")");
  }
}
