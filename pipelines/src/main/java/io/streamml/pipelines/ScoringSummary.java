package io.streamml.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.pipelines.options.OutputOptions;
import io.streamml.schemas.Alert;
import io.streamml.schemas.Score;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/** Scores and alerts a run wrote, counted from its output files. */
public final class ScoringSummary {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String scoresPrefix;
  private final String alertsPrefix;
  private final Map<String, Long> scoresByVersion;
  private final Map<String, Long> alertsByKind;

  private ScoringSummary(
      String scoresPrefix,
      String alertsPrefix,
      Map<String, Long> scoresByVersion,
      Map<String, Long> alertsByKind) {
    this.scoresPrefix = scoresPrefix;
    this.alertsPrefix = alertsPrefix;
    this.scoresByVersion = scoresByVersion;
    this.alertsByKind = alertsByKind;
  }

  public static ScoringSummary read(OutputOptions options) {
    String scores = ScoringStages.scoresPrefix(options);
    String alerts = ScoringStages.alertsPrefix(options);
    Map<String, Long> byVersion = new TreeMap<>();
    OutputFiles.forEachLine(
        scores + "*", line -> byVersion.merge(field(line, Score.MODEL_VERSION), 1L, Long::sum));
    Map<String, Long> byKind = new TreeMap<>();
    OutputFiles.forEachLine(
        alerts + "*", line -> byKind.merge(field(line, Alert.KIND), 1L, Long::sum));
    return new ScoringSummary(scores, alerts, byVersion, byKind);
  }

  private static String field(String json, String name) {
    try {
      JsonNode value = MAPPER.readTree(json).get(name);
      return value == null ? "unknown" : value.asText();
    } catch (IOException e) {
      throw new UncheckedIOException("Unreadable output line: " + json, e);
    }
  }

  public long scores() {
    return scoresByVersion.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<String, Long> scoresByVersion() {
    return scoresByVersion;
  }

  public long modelAlerts() {
    return alertsByKind.getOrDefault(Alert.Kind.MODEL, 0L);
  }

  public long ruleAlerts() {
    return alertsByKind.getOrDefault(Alert.Kind.RULE, 0L);
  }

  /** Model alerts per score; NaN without scores. */
  public double alertRate() {
    return scores() == 0 ? Double.NaN : (double) modelAlerts() / scores();
  }

  public void print(PrintStream out) {
    out.printf("  %-16s %10d  %s*.jsonl%n", "scores", scores(), scoresPrefix);
    scoresByVersion.forEach(
        (version, count) -> out.printf("    %-14s %10d%n", "by " + version, count));
    out.printf("  %-16s %10d  %s*.jsonl%n", "alerts", modelAlerts() + ruleAlerts(), alertsPrefix);
    out.printf("    %-14s %10d%n", "from the model", modelAlerts());
    out.printf("    %-14s %10d%n", "from rules", ruleAlerts());
    if (scores() > 0) {
      out.printf("  %-16s %9.2f%%  (model alerts / scores)%n", "alert rate", 100 * alertRate());
    }
  }
}
