package io.streamml.schemas.features;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The event-time window of per-window features: tumbling (size), sliding (size, period) or session
 * (gap), with allowed lateness and an optional early firing every N seconds of processing time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class WindowSpec implements Serializable {

  /** Window kinds, as in Beam. */
  public enum Type {
    TUMBLING,
    SLIDING,
    SESSION
  }

  private final Type type;
  private final @Nullable Long sizeSeconds;
  private final @Nullable Long periodSeconds;
  private final @Nullable Long gapSeconds;
  private final long allowedLatenessSeconds;
  private final @Nullable Long earlyFiringSeconds;

  @JsonCreator
  public WindowSpec(
      @JsonProperty(value = "type", required = true) Type type,
      @JsonProperty("sizeSeconds") @Nullable Long sizeSeconds,
      @JsonProperty("periodSeconds") @Nullable Long periodSeconds,
      @JsonProperty("gapSeconds") @Nullable Long gapSeconds,
      @JsonProperty("allowedLatenessSeconds") @Nullable Long allowedLatenessSeconds,
      @JsonProperty("earlyFiringSeconds") @Nullable Long earlyFiringSeconds) {
    this.type = Objects.requireNonNull(type, "window type");
    this.sizeSeconds = sizeSeconds;
    this.periodSeconds = periodSeconds;
    this.gapSeconds = gapSeconds;
    this.allowedLatenessSeconds = allowedLatenessSeconds == null ? 0 : allowedLatenessSeconds;
    this.earlyFiringSeconds = earlyFiringSeconds;
    switch (type) {
      case TUMBLING:
        requirePositive("sizeSeconds", sizeSeconds);
        break;
      case SLIDING:
        requirePositive("sizeSeconds", sizeSeconds);
        requirePositive("periodSeconds", periodSeconds);
        if (periodSeconds > sizeSeconds) {
          throw new IllegalArgumentException(
              "SLIDING window period "
                  + periodSeconds
                  + "s is longer than its size "
                  + sizeSeconds);
        }
        break;
      case SESSION:
        requirePositive("gapSeconds", gapSeconds);
        break;
    }
    if (this.allowedLatenessSeconds < 0) {
      throw new IllegalArgumentException("allowedLatenessSeconds must be >= 0");
    }
    if (earlyFiringSeconds != null) {
      requirePositive("earlyFiringSeconds", earlyFiringSeconds);
    }
  }

  public static WindowSpec tumbling(long sizeSeconds) {
    return new WindowSpec(Type.TUMBLING, sizeSeconds, null, null, 0L, null);
  }

  public static WindowSpec sliding(long sizeSeconds, long periodSeconds) {
    return new WindowSpec(Type.SLIDING, sizeSeconds, periodSeconds, null, 0L, null);
  }

  public static WindowSpec session(long gapSeconds) {
    return new WindowSpec(Type.SESSION, null, null, gapSeconds, 0L, null);
  }

  public WindowSpec withAllowedLatenessSeconds(long seconds) {
    return new WindowSpec(
        type, sizeSeconds, periodSeconds, gapSeconds, seconds, earlyFiringSeconds);
  }

  public WindowSpec withEarlyFiringSeconds(long seconds) {
    return new WindowSpec(
        type, sizeSeconds, periodSeconds, gapSeconds, allowedLatenessSeconds, seconds);
  }

  private void requirePositive(String name, @Nullable Long value) {
    if (value == null || value <= 0) {
      throw new IllegalArgumentException(type + " window needs " + name + " > 0, not " + value);
    }
  }

  @JsonProperty("type")
  public Type type() {
    return type;
  }

  @JsonProperty("sizeSeconds")
  public @Nullable Long sizeSeconds() {
    return sizeSeconds;
  }

  @JsonProperty("periodSeconds")
  public @Nullable Long periodSeconds() {
    return periodSeconds;
  }

  @JsonProperty("gapSeconds")
  public @Nullable Long gapSeconds() {
    return gapSeconds;
  }

  @JsonProperty("allowedLatenessSeconds")
  public long allowedLatenessSeconds() {
    return allowedLatenessSeconds;
  }

  @JsonProperty("earlyFiringSeconds")
  public @Nullable Long earlyFiringSeconds() {
    return earlyFiringSeconds;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof WindowSpec)) {
      return false;
    }
    WindowSpec that = (WindowSpec) o;
    return type == that.type
        && Objects.equals(sizeSeconds, that.sizeSeconds)
        && Objects.equals(periodSeconds, that.periodSeconds)
        && Objects.equals(gapSeconds, that.gapSeconds)
        && allowedLatenessSeconds == that.allowedLatenessSeconds
        && Objects.equals(earlyFiringSeconds, that.earlyFiringSeconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, sizeSeconds, periodSeconds, gapSeconds, allowedLatenessSeconds);
  }
}
