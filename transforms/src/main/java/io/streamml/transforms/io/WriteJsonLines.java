package io.streamml.transforms.io;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.RowJsonCodec;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * Writes schema Rows as JSON lines ({@code .jsonl}) under a filename prefix on any Beam filesystem.
 * Bounded input gives one set of shards; unbounded input is written per fixed window of event time
 * (default one minute), one file per window and shard, once the window closes.
 */
public final class WriteJsonLines extends PTransform<PCollection<Row>, PDone> {

  private final String prefix;
  private final int numShards;
  private final Duration windowSize;

  private WriteJsonLines(String prefix, int numShards, Duration windowSize) {
    this.prefix = prefix;
    this.numShards = numShards;
    this.windowSize = windowSize;
  }

  /** Files named {@code <prefix>-SSSSS-of-NNNNN.jsonl}; e.g. {@code out/events/part}. */
  public static WriteJsonLines to(String prefix) {
    checkArgument(prefix != null && !prefix.isBlank(), "prefix must not be blank: %s", prefix);
    return new WriteJsonLines(prefix, 0, Duration.standardMinutes(1));
  }

  /** A fixed number of files (per window); 0 lets the runner choose for bounded input. */
  public WriteJsonLines withNumShards(int numShards) {
    checkArgument(numShards >= 0, "numShards must be >= 0: %s", numShards);
    return new WriteJsonLines(prefix, numShards, windowSize);
  }

  /** Window of event time per file set, for unbounded input. */
  public WriteJsonLines withWindowSize(Duration windowSize) {
    checkArgument(
        windowSize != null && windowSize.getMillis() > 0, "windowSize must be > 0: %s", windowSize);
    return new WriteJsonLines(prefix, numShards, windowSize);
  }

  @Override
  public PDone expand(PCollection<Row> rows) {
    RowJsonCodec codec = RowJsonCodec.of(rows.getSchema());
    PCollection<String> lines =
        rows.apply("FormatAsJson", ParDo.of(new ToJsonFn(codec))).setCoder(StringUtf8Coder.of());
    TextIO.Write write = TextIO.write().to(prefix).withSuffix(".jsonl");
    if (rows.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      lines = lines.apply("WindowForFiles", Window.into(FixedWindows.of(windowSize)));
      write = write.withWindowedWrites().withNumShards(Math.max(1, numShards));
    } else if (numShards > 0) {
      write = write.withNumShards(numShards);
    }
    return lines.apply("WriteFiles", write);
  }

  private static final class ToJsonFn extends DoFn<Row, String> {
    private final RowJsonCodec codec;

    ToJsonFn(RowJsonCodec codec) {
      this.codec = codec;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<String> out) {
      out.output(codec.toJson(row));
    }
  }
}
