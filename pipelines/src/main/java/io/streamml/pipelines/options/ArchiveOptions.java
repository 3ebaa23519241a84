package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Archiving what a pipeline ingests, as Parquet (see docs/kafka.md, "Raw archive"). */
public interface ArchiveOptions extends PipelineOptions {

  @Description(
      "Archive parsed events to PATH/events and dead letters to PATH/dead-letters as Parquet,"
          + " under dt=YYYY-MM-DD/hour=HH folders (any Beam filesystem). Read it back with"
          + " --inputArchive=PATH/events.")
  String getArchive();

  void setArchive(String value);

  @Description("Cut archive files every this many minutes of event time (a divisor of 60).")
  @Default.Integer(60)
  Integer getArchiveWindowMinutes();

  void setArchiveWindowMinutes(Integer value);

  @Description("At most this many archive files per partition and window.")
  @Default.Integer(1)
  Integer getArchiveShards();

  void setArchiveShards(Integer value);
}
