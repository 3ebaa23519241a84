package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/** How drift is measured: window, segment and thresholds. */
public interface DriftOptions extends PipelineOptions {

  @Description("Event-time window of each drift measurement, in minutes.")
  @Default.Integer(60)
  int getDriftWindowMinutes();

  void setDriftWindowMinutes(int value);

  @Description(
      "Also compare each drift window with the window before it (not only with training), under"
          + " --output/drift/previous-window/: sudden changes show even when both windows drift.")
  @Default.Boolean(false)
  boolean getComparePreviousWindow();

  void setComparePreviousWindow(boolean value);

  @Description("Start a drift window every this many minutes (sliding); 0 = tumbling windows.")
  @Default.Integer(0)
  int getDriftSlideMinutes();

  void setDriftSlideMinutes(int value);

  @Description(
      "Also measure drift per value of this input field (e.g. merchant_category, machine_type);"
          + " default: the use-case spec's drift.segmentField, if any.")
  @Nullable String getSegmentField();

  void setSegmentField(String value);

  @Description("Windows with fewer present values than this are INSUFFICIENT_DATA, not judged.")
  @Default.Long(500)
  long getMinWindowCount();

  void setMinWindowCount(long value);

  @Description(
      "PSI at or above this warns, for every feature (default: the spec's drift thresholds, else 0.1).")
  @Nullable Double getPsiWarn();

  void setPsiWarn(Double value);

  @Description("PSI at or above this is drift, for every feature (default: the spec's, else 0.25).")
  @Nullable Double getPsiDrift();

  void setPsiDrift(Double value);

  @Description("Jensen-Shannon distance at or above this is drift (default: the spec's, else 0.1).")
  @Nullable Double getJsDrift();

  void setJsDrift(Double value);

  @Description(
      "Wasserstein-1 / reference std-dev at or above this is drift (default: the spec's, else 0.1).")
  @Nullable Double getWassersteinDrift();

  void setWassersteinDrift(Double value);

  @Description(
      "A window counts as drifted when at least this share of the features drifted (default: the spec's, else 0.5).")
  @Nullable Double getDatasetDriftShare();

  void setDatasetDriftShare(Double value);

  @Description("Ask for retraining after this many drifted windows in a row.")
  @Default.Integer(2)
  int getRetrainAfterWindows();

  void setRetrainAfterWindows(int value);

  @Description("After a retrain trigger, ask again only after this many calm windows in a row.")
  @Default.Integer(2)
  int getRetrainRearmWindows();

  void setRetrainRearmWindows(int value);

  @Description("Never ask for retraining twice within this many hours of event time.")
  @Default.Double(6)
  double getRetrainCooldownHours();

  void setRetrainCooldownHours(double value);

  @Description("Also ask for retraining when none was asked for this many hours; 0 = never.")
  @Default.Double(0)
  double getRetrainEveryHours();

  void setRetrainEveryHours(double value);

  // Not "labels": DataflowPipelineOptions has getLabels() (job labels), and one options proxy
  // cannot hold both, so the Dataflow jar refused every command.
  @Description(
      "Label files (JSON lines: event_id, label 1/0, event_time, optional label_time) to measure"
          + " model quality per window with; unset = no labels from files.")
  @Nullable String getLabelFiles();

  void setLabelFiles(String value);

  @Description("Also take labels from the events' own label field (e.g. is_fraud).")
  @Default.Boolean(false)
  boolean getLabelsFromEvents();

  void setLabelsFromEvents(boolean value);

  @Description(
      "Minutes after its event a label from the events arrives; on files or the archive, labels"
          + " that would arrive after the last event are left out.")
  @Default.Integer(0)
  int getLabelDelayMinutes();

  void setLabelDelayMinutes(int value);

  @Description("How late after its window a label may still count, in hours.")
  @Default.Double(24)
  double getMaxLabelDelayHours();

  void setMaxLabelDelayHours(double value);

  @Description(
      "Ask for retraining (PERFORMANCE_DROP) when a window's AUC is below this for"
          + " --retrainAfterWindows windows in a row; 0 = never (needs labels).")
  @Default.Double(0)
  double getMinAuc();

  void setMinAuc(double value);

  @Description("Windows with fewer labelled scores than this are not judged on their AUC.")
  @Default.Long(200)
  long getMinLabelledPerWindow();

  void setMinLabelledPerWindow(long value);
}
