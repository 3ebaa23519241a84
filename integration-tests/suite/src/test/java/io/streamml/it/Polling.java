package io.streamml.it;

import java.time.Duration;
import java.time.Instant;

/** Waits for what a background run should make happen, failing fast if the run dies. */
final class Polling {

  /** A condition that may read a broker or files. */
  interface Condition {
    boolean holds() throws Exception;
  }

  private static final Duration INTERVAL = Duration.ofMillis(500);

  private Polling() {}

  /** Returns once {@code condition} holds; fails if {@code run} exits or time runs out. */
  static void until(StreammlLauncher.Background run, long timeoutSeconds, Condition condition)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
    while (!condition.holds()) {
      if (!run.isAlive()) {
        throw new AssertionError("the run exited before it was done:\n" + run.output());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "not done in " + timeoutSeconds + " s; the run printed:\n" + run.output());
      }
      Thread.sleep(INTERVAL.toMillis());
    }
  }
}
