package io.streamml.transforms.io;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.RowJsonCodec;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;

/**
 * Writes schema Rows as JSON lines under a filename prefix, through {@link WriteLines} (so
 * unbounded input is written per window).
 */
public final class WriteJsonLines extends PTransform<PCollection<Row>, PDone> {

  private final WriteLines write;

  private WriteJsonLines(WriteLines write) {
    this.write = write;
  }

  /** Files named {@code <prefix>-SSSSS-of-NNNNN.jsonl}; e.g. {@code out/events/part}. */
  public static WriteJsonLines to(String prefix) {
    return new WriteJsonLines(WriteLines.to(prefix));
  }

  /** A fixed number of files (per window); 0 lets the runner choose for bounded input. */
  public WriteJsonLines withNumShards(int numShards) {
    checkArgument(numShards >= 0, "numShards must be >= 0: %s", numShards);
    return new WriteJsonLines(write.withNumShards(numShards));
  }

  @Override
  public PDone expand(PCollection<Row> rows) {
    return rows.apply("FormatAsJson", ParDo.of(new ToJsonFn(RowJsonCodec.of(rows.getSchema()))))
        .setCoder(StringUtf8Coder.of())
        .apply("WriteLines", write);
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
