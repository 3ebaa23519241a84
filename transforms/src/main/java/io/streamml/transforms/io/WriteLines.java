package io.streamml.transforms.io;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Writes text lines (default suffix {@code .jsonl}) under a filename prefix on any Beam filesystem.
 * Bounded input gives one set of shards; unbounded input is written per fixed window of event time
 * (default one minute), one file per window and shard, once the window closes.
 */
public final class WriteLines extends PTransform<PCollection<String>, PDone> {

  private final String prefix;
  private final String suffix;
  private final int numShards;
  private final Duration windowSize;

  private WriteLines(String prefix, String suffix, int numShards, Duration windowSize) {
    this.prefix = prefix;
    this.suffix = suffix;
    this.numShards = numShards;
    this.windowSize = windowSize;
  }

  /** Files named {@code <prefix>-SSSSS-of-NNNNN.jsonl}; e.g. {@code out/events/part}. */
  public static WriteLines to(String prefix) {
    checkArgument(prefix != null && !prefix.isBlank(), "prefix must not be blank: %s", prefix);
    return new WriteLines(prefix, ".jsonl", 0, Duration.standardMinutes(1));
  }

  public WriteLines withSuffix(String suffix) {
    checkArgument(suffix != null, "suffix must not be null");
    return new WriteLines(prefix, suffix, numShards, windowSize);
  }

  /** A fixed number of files (per window); 0 lets the runner choose for bounded input. */
  public WriteLines withNumShards(int numShards) {
    checkArgument(numShards >= 0, "numShards must be >= 0: %s", numShards);
    return new WriteLines(prefix, suffix, numShards, windowSize);
  }

  /** Window of event time per file set, for unbounded input. */
  public WriteLines withWindowSize(Duration windowSize) {
    checkArgument(
        windowSize != null && windowSize.getMillis() > 0, "windowSize must be > 0: %s", windowSize);
    return new WriteLines(prefix, suffix, numShards, windowSize);
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    TextIO.Write write = TextIO.write().to(prefix).withSuffix(suffix);
    if (lines.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      lines = lines.apply("WindowForFiles", Window.into(FixedWindows.of(windowSize)));
      write = write.withWindowedWrites().withNumShards(Math.max(1, numShards));
    } else if (numShards > 0) {
      write = write.withNumShards(numShards);
    }
    return lines.apply("WriteFiles", write);
  }
}
