package io.streamml.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.schemas.DeadLetter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/** What a demo run wrote, counted from its output files. */
public final class DemoSummary {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final DemoPipeline.Options options;
  private final double seconds;
  private final long events;
  private final long featureVectors;
  private final Map<String, Long> deadLettersByStage;
  private final ScoringSummary scoring;

  private DemoSummary(
      DemoPipeline.Options options,
      double seconds,
      long events,
      long featureVectors,
      Map<String, Long> deadLettersByStage,
      ScoringSummary scoring) {
    this.options = options;
    this.seconds = seconds;
    this.events = events;
    this.featureVectors = featureVectors;
    this.deadLettersByStage = deadLettersByStage;
    this.scoring = scoring;
  }

  static DemoSummary read(DemoPipeline.Options options, double seconds) {
    long events = OutputFiles.countLines(DemoPipeline.eventsPrefix(options) + "*");
    Map<String, Long> byStage = new TreeMap<>();
    OutputFiles.forEachLine(
        DemoPipeline.deadLettersPrefix(options) + "*",
        line -> byStage.merge(stageOf(line), 1L, Long::sum));
    long vectors = OutputFiles.countLines(DemoPipeline.featuresPrefix(options) + "*");
    return new DemoSummary(
        options, seconds, events, vectors, byStage, ScoringSummary.read(options));
  }

  private static String stageOf(String deadLetterJson) {
    try {
      JsonNode stage = MAPPER.readTree(deadLetterJson).get(DeadLetter.STAGE);
      return stage == null ? "unknown" : stage.asText();
    } catch (IOException e) {
      throw new UncheckedIOException("Unreadable dead letter: " + deadLetterJson, e);
    }
  }

  public long events() {
    return events;
  }

  public long featureVectors() {
    return featureVectors;
  }

  public long deadLetters() {
    return deadLettersByStage.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Scores and alerts; no scores when the registry had no model yet. */
  public ScoringSummary scoring() {
    return scoring;
  }

  public Map<String, Long> deadLettersByStage() {
    return deadLettersByStage;
  }

  /** Records read: each became an event or was dead-lettered by parsing, validation or dedupe. */
  public long read() {
    return events
        + deadLettersByStage.getOrDefault(DeadLetter.Stage.PARSE, 0L)
        + deadLettersByStage.getOrDefault(DeadLetter.Stage.VALIDATE, 0L)
        + deadLettersByStage.getOrDefault(DeadLetter.Stage.DEDUPE, 0L);
  }

  public void print(PrintStream out) {
    out.printf(
        "streamml demo: %s on %s, %.1f s%n",
        options.getUseCase(), options.getRunner().getSimpleName(), seconds);
    out.printf("  %-16s %10d%n", "read", read());
    out.printf("  %-16s %10d  %s*.jsonl%n", "events", events, DemoPipeline.eventsPrefix(options));
    out.printf(
        "  %-16s %10d  %s*.jsonl%n",
        "feature vectors", featureVectors, DemoPipeline.featuresPrefix(options));
    scoring.print(out);
    out.printf(
        "  %-16s %10d  %s*.jsonl%n",
        "dead letters", deadLetters(), DemoPipeline.deadLettersPrefix(options));
    deadLettersByStage.forEach(
        (stage, count) -> out.printf("    %-14s %10d%n", "at " + stage, count));
  }
}
