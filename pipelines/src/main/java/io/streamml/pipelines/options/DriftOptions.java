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

  @Description("Start a drift window every this many minutes (sliding); 0 = tumbling windows.")
  @Default.Integer(0)
  int getDriftSlideMinutes();

  void setDriftSlideMinutes(int value);

  @Description("Also measure drift per value of this input field (e.g. a machine type).")
  @Nullable String getSegmentField();

  void setSegmentField(String value);

  @Description("Windows with fewer present values than this are INSUFFICIENT_DATA, not judged.")
  @Default.Long(500)
  long getMinWindowCount();

  void setMinWindowCount(long value);

  @Description("PSI at or above this warns.")
  @Default.Double(0.1)
  double getPsiWarn();

  void setPsiWarn(double value);

  @Description("PSI at or above this is drift.")
  @Default.Double(0.25)
  double getPsiDrift();

  void setPsiDrift(double value);

  @Description("Jensen-Shannon distance at or above this is drift.")
  @Default.Double(0.1)
  double getJsDrift();

  void setJsDrift(double value);

  @Description("Wasserstein-1 / reference std-dev at or above this is drift.")
  @Default.Double(0.1)
  double getWassersteinDrift();

  void setWassersteinDrift(double value);

  @Description("A window counts as drifted when at least this share of the features drifted.")
  @Default.Double(0.5)
  double getDatasetDriftShare();

  void setDatasetDriftShare(double value);

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
}
