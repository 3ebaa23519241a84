package io.streamml.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A rule alert declared in a use-case spec: a feature strictly above or below a fixed limit (e.g.
 * more than 5 card transactions in a minute). Lets a user alert before any model is trained, and
 * keeps hard business limits next to the model's scores.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "feature", "above", "below", "description"})
public final class AlertRule implements Serializable {

  private final String name;
  private final String feature;
  private final @Nullable Double above;
  private final @Nullable Double below;
  private final String description;

  @JsonCreator
  public AlertRule(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "feature", required = true) String feature,
      @JsonProperty("above") @Nullable Double above,
      @JsonProperty("below") @Nullable Double below,
      @JsonProperty("description") @Nullable String description) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("An alert rule needs a name");
    }
    if (feature == null || feature.isBlank()) {
      throw new IllegalArgumentException("Alert rule '" + name + "' needs a feature");
    }
    if (above == null && below == null) {
      throw new IllegalArgumentException(
          "Alert rule '" + name + "' needs a limit: 'above', 'below' or both");
    }
    if (above != null && below != null && below > above) {
      // Both set with below > above would fire on every value; almost surely swapped limits.
      throw new IllegalArgumentException(
          "Alert rule '" + name + "' fires on every value: below " + below + " > above " + above);
    }
    this.name = name;
    this.feature = feature;
    this.above = above;
    this.below = below;
    this.description = description == null ? "" : description;
  }

  /** Fires when {@code feature > limit}. */
  public static AlertRule above(String name, String feature, double limit) {
    return new AlertRule(name, feature, limit, null, null);
  }

  /** Fires when {@code feature < limit}. */
  public static AlertRule below(String name, String feature, double limit) {
    return new AlertRule(name, feature, null, limit, null);
  }

  @JsonProperty("name")
  public String name() {
    return name;
  }

  @JsonProperty("feature")
  public String feature() {
    return feature;
  }

  @JsonProperty("above")
  public @Nullable Double above() {
    return above;
  }

  @JsonProperty("below")
  public @Nullable Double below() {
    return below;
  }

  @JsonProperty("description")
  public String description() {
    return description;
  }

  /** Whether {@code value} breaks the rule; a missing value (null or NaN) never does. */
  public boolean firesOn(@Nullable Double value) {
    if (value == null || value.isNaN()) {
      return false;
    }
    return (above != null && value > above) || (below != null && value < below);
  }

  /** The limit {@code value} crossed; call only when {@link #firesOn} is true. */
  public double crossedLimit(double value) {
    return above != null && value > above ? above : Objects.requireNonNull(below);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof AlertRule)) {
      return false;
    }
    AlertRule that = (AlertRule) o;
    return name.equals(that.name)
        && feature.equals(that.feature)
        && Objects.equals(above, that.above)
        && Objects.equals(below, that.below)
        && description.equals(that.description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, feature, above, below);
  }

  @Override
  public String toString() {
    return name
        + ": "
        + feature
        + (above == null ? "" : " > " + above)
        + (below == null ? "" : (above == null ? " < " : " or < ") + below);
  }
}
