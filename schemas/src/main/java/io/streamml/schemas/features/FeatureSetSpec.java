package io.streamml.schemas.features;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A use case's features, declared once and computed identically over history and live streams.
 *
 * <p>Two shapes: {@link Shape#PER_EVENT}, where each event gets its key's trailing aggregates up to
 * and including it (each feature has its own {@code windowSeconds}); and {@link Shape#PER_WINDOW},
 * one vector per key per event-time window (all features share {@link #window()}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FeatureSetSpec implements Serializable {

  /** Output shapes. */
  public enum Shape {
    PER_EVENT,
    PER_WINDOW
  }

  /** Distinct counts switch from an exact set to an HLL sketch above this many values. */
  public static final int DEFAULT_EXACT_DISTINCT_LIMIT = 1_000;

  private final Shape shape;
  private final @Nullable WindowSpec window;
  private final long allowedLatenessSeconds;
  private final int exactDistinctLimit;
  private final List<FeatureDefinition> definitions;

  @JsonCreator
  public FeatureSetSpec(
      @JsonProperty(value = "shape", required = true) Shape shape,
      @JsonProperty("window") @Nullable WindowSpec window,
      @JsonProperty("allowedLatenessSeconds") @Nullable Long allowedLatenessSeconds,
      @JsonProperty("exactDistinctLimit") @Nullable Integer exactDistinctLimit,
      @JsonProperty(value = "definitions", required = true) List<FeatureDefinition> definitions) {
    this.shape = Objects.requireNonNull(shape, "feature shape");
    this.window = window;
    this.allowedLatenessSeconds = allowedLatenessSeconds == null ? 0 : allowedLatenessSeconds;
    this.exactDistinctLimit =
        exactDistinctLimit == null ? DEFAULT_EXACT_DISTINCT_LIMIT : exactDistinctLimit;
    this.definitions = List.copyOf(Objects.requireNonNull(definitions, "feature definitions"));
    validate();
  }

  public static FeatureSetSpec perEvent(
      long allowedLatenessSeconds, FeatureDefinition... features) {
    return new FeatureSetSpec(
        Shape.PER_EVENT, null, allowedLatenessSeconds, null, List.of(features));
  }

  public static FeatureSetSpec perWindow(WindowSpec window, FeatureDefinition... features) {
    return new FeatureSetSpec(Shape.PER_WINDOW, window, null, null, List.of(features));
  }

  private void validate() {
    if (definitions.isEmpty()) {
      throw new IllegalArgumentException("A feature set needs at least one feature");
    }
    if (shape == Shape.PER_WINDOW && window == null) {
      throw new IllegalArgumentException("PER_WINDOW features need a window");
    }
    if (allowedLatenessSeconds < 0) {
      throw new IllegalArgumentException("allowedLatenessSeconds must be >= 0");
    }
    List<String> names = new ArrayList<>();
    for (FeatureDefinition feature : definitions) {
      if (names.contains(feature.name())) {
        throw new IllegalArgumentException("Feature '" + feature.name() + "' is declared twice");
      }
      boolean windowed = feature.aggregation().kind() == Aggregation.Kind.WINDOW;
      if (shape == Shape.PER_EVENT && windowed && feature.windowSeconds() == null) {
        throw new IllegalArgumentException(
            "Feature '" + feature.name() + "' needs windowSeconds (its trailing window)");
      }
      if (shape == Shape.PER_WINDOW && feature.windowSeconds() != null) {
        throw new IllegalArgumentException(
            "Feature '"
                + feature.name()
                + "' has windowSeconds, but PER_WINDOW features all use the set's window");
      }
      if (feature.aggregation() == Aggregation.RATIO) {
        for (String part : List.of(feature.numerator(), feature.denominator())) {
          if (!names.contains(part)) {
            throw new IllegalArgumentException(
                "Ratio '"
                    + feature.name()
                    + "' uses '"
                    + part
                    + "', not a feature declared before it");
          }
        }
      }
      names.add(feature.name());
    }
  }

  @JsonProperty("shape")
  public Shape shape() {
    return shape;
  }

  @JsonProperty("window")
  public @Nullable WindowSpec window() {
    return window;
  }

  @JsonProperty("allowedLatenessSeconds")
  public long allowedLatenessSeconds() {
    return allowedLatenessSeconds;
  }

  @JsonProperty("exactDistinctLimit")
  public int exactDistinctLimit() {
    return exactDistinctLimit;
  }

  @JsonProperty("definitions")
  public List<FeatureDefinition> definitions() {
    return definitions;
  }

  public List<String> names() {
    List<String> names = new ArrayList<>();
    definitions.forEach(d -> names.add(d.name()));
    return names;
  }

  /** The longest trailing window in seconds (per-event shape): how much history to keep. */
  public long longestWindowSeconds() {
    long longest = 0;
    for (FeatureDefinition feature : definitions) {
      if (feature.windowSeconds() != null) {
        longest = Math.max(longest, feature.windowSeconds());
      }
    }
    return longest;
  }

  /**
   * How long, in event time, a key's state outlives an event: the longest trailing window (per
   * event) or the window's size or gap (per window), plus the allowed lateness. It bounds what a
   * runner keeps per key.
   */
  public long stateRetentionSeconds() {
    if (shape == Shape.PER_WINDOW) {
      WindowSpec w = Objects.requireNonNull(window);
      long extent = w.type() == WindowSpec.Type.SESSION ? w.gapSeconds() : w.sizeSeconds();
      return extent + w.allowedLatenessSeconds();
    }
    return longestWindowSeconds() + allowedLatenessSeconds;
  }

  /** How many windows each event is in: size / period for sliding windows, else 1. */
  public long windowsPerEvent() {
    WindowSpec w = window;
    if (shape == Shape.PER_WINDOW && w != null && w.type() == WindowSpec.Type.SLIDING) {
      return (w.sizeSeconds() + w.periodSeconds() - 1) / w.periodSeconds();
    }
    return 1;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof FeatureSetSpec)) {
      return false;
    }
    FeatureSetSpec that = (FeatureSetSpec) o;
    return shape == that.shape
        && Objects.equals(window, that.window)
        && allowedLatenessSeconds == that.allowedLatenessSeconds
        && exactDistinctLimit == that.exactDistinctLimit
        && definitions.equals(that.definitions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(shape, window, allowedLatenessSeconds, definitions);
  }
}
