package io.streamml.transforms.batch;

import org.joda.time.Duration;

/**
 * The allowed timestamp skew of DoFns that stamp outputs earlier than their input (events at their
 * own time, rows back at theirs). Not {@code Long.MAX_VALUE} ms: Beam subtracts the skew from each
 * element's timestamp, which then overflows, and Beam catches that {@code ArithmeticException} on
 * every output: about a tenth of scoring time in a profile (docs/performance.md). Half of it still
 * reaches below any timestamp Beam allows.
 */
public final class AnySkew {

  public static final Duration ALLOWED = Duration.millis(Long.MAX_VALUE / 2);

  private AnySkew() {}
}
