package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code streamml train} printed. */
final class TrainOutput {

  private static final Pattern VECTORS = Pattern.compile("training on (\\d+) vectors");

  private TrainOutput() {}

  /** The "training on N vectors" count. */
  static long vectors(StreammlLauncher.Run run) {
    Matcher m = VECTORS.matcher(run.output);
    assertTrue(m.find(), run.output);
    return Long.parseLong(m.group(1));
  }
}
