package io.streamml.transforms.ingest;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;
import org.joda.time.DateTimeZone;
import org.joda.time.Duration;
import org.joda.time.ReadableInstant;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;

/**
 * Archives schema Rows (raw events, or dead letters) as Parquet files under {@code
 * <base>/dt=YYYY-MM-DD/hour=HH/}, partitioned by a time field of the row (UTC), on any Beam
 * filesystem. The Parquet schema is the Avro form of the rows' Beam schema ({@link AvroUtils}), so
 * {@link ReadEvents#fromArchive} reads the events back as they were parsed.
 *
 * <p>Works on bounded and unbounded input: rows are windowed into fixed windows ({@code
 * windowSize}, 1 hour by default, aligned with the hour partitions) and each window's files are
 * written when the watermark passes its end, at most {@code numShards} files per partition and
 * window (late panes add files). Every row is written once per successful bundle; a retried bundle
 * may leave a temporary file that FileIO removes.
 */
public final class ArchiveRaw extends PTransform<PCollection<Row>, PDone> {

  private static final DateTimeFormatter PARTITION =
      DateTimeFormat.forPattern("'dt='yyyy-MM-dd/'hour='HH").withZone(DateTimeZone.UTC);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormat.forPattern("yyyyMMdd'T'HHmmss'Z'").withZone(DateTimeZone.UTC);

  private final String basePath;
  private final String timeField;
  private final Duration windowSize;
  private final int numShards;

  private ArchiveRaw(String basePath, String timeField, Duration windowSize, int numShards) {
    this.basePath = basePath;
    this.timeField = timeField;
    this.windowSize = windowSize;
    this.numShards = numShards;
  }

  /**
   * Archives under {@code basePath} (a folder on any Beam filesystem), partitioned by the DATETIME
   * field {@code timeField} (e.g. the use case's event-time field, or a dead letter's {@code
   * processing_time}).
   */
  public static ArchiveRaw to(String basePath, String timeField) {
    checkArgument(
        basePath != null && !basePath.isBlank(), "basePath must not be blank: %s", basePath);
    checkArgument(
        timeField != null && !timeField.isBlank(), "timeField must not be blank: %s", timeField);
    return new ArchiveRaw(basePath, timeField, Duration.standardHours(1), 1);
  }

  /** How often (in event time) files are cut; a divisor of an hour keeps files in one partition. */
  public ArchiveRaw withWindowSize(Duration size) {
    checkArgument(
        size != null && size.isLongerThan(Duration.ZERO), "windowSize must be above 0: %s", size);
    return new ArchiveRaw(basePath, timeField, size, numShards);
  }

  /** At most this many files per partition and window. */
  public ArchiveRaw withNumShards(int shards) {
    checkArgument(shards > 0, "numShards must be above 0: %s", shards);
    return new ArchiveRaw(basePath, timeField, windowSize, shards);
  }

  /** The Parquet files of an archive folder, or of a narrower {@code .../dt=...} folder in it. */
  public static String filePattern(String path) {
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (base.endsWith(".parquet")) {
      return base;
    }
    if (base.contains("hour=")) {
      return base + "/*.parquet";
    }
    if (base.contains("dt=")) {
      return base + "/hour=*/*.parquet";
    }
    return base + "/dt=*/hour=*/*.parquet";
  }

  @Override
  public PDone expand(PCollection<Row> rows) {
    org.apache.beam.sdk.schemas.Schema schema = rows.getSchema();
    checkArgument(
        schema.hasField(timeField)
            && schema.getField(timeField).getType().getTypeName().isDateType(),
        "ArchiveRaw partitions by '%s', which is not a DATETIME field of %s",
        timeField,
        schema);
    Schema avro = AvroUtils.toAvroSchema(schema);
    String field = timeField;
    SerializableFunction<Row, String> partition =
        row -> {
          ReadableInstant time = row.getDateTime(field);
          return time == null ? "dt=unknown/hour=unknown" : PARTITION.print(time);
        };
    rows.apply("WindowForFiles", Window.<Row>into(FixedWindows.of(windowSize)))
        .apply(
            "WriteParquet",
            FileIO.<String, Row>writeDynamic()
                .by(partition)
                .withDestinationCoder(StringUtf8Coder.of())
                .via(
                    Contextful.fn(AvroUtils.getRowToGenericRecordFunction(avro)),
                    ParquetIO.sink(avro))
                .to(basePath)
                .withNaming(ArchiveRaw::naming)
                .withNumShards(numShards));
    return PDone.in(rows.getPipeline());
  }

  /**
   * {@code <partition>/part-<window start>-<window end>-<pane>-<shard>-of-<shards>.parquet}, with
   * compact UTC times: no ':' in file names, which Hadoop paths (and HDFS) refuse.
   */
  private static FileIO.Write.FileNaming naming(String partition) {
    return (window, pane, numShards, shardIndex, compression) -> {
      String span =
          window instanceof IntervalWindow
              ? FILE_TIME.print(((IntervalWindow) window).start())
                  + "-"
                  + FILE_TIME.print(((IntervalWindow) window).end())
              : "global";
      return String.format(
          "%s/part-%s-%d-%05d-of-%05d.parquet",
          partition, span, pane.getIndex(), shardIndex, numShards);
    };
  }

  /** For readers: the Avro schema archived for rows of {@code schema}. */
  static Schema avroSchema(org.apache.beam.sdk.schemas.Schema schema) {
    return AvroUtils.toAvroSchema(schema);
  }

  static SerializableFunction<GenericRecord, Row> toRow(org.apache.beam.sdk.schemas.Schema schema) {
    return AvroUtils.getGenericRecordToRowFunction(schema);
  }
}
