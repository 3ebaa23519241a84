package io.streamml.pipelines;

import io.streamml.pipelines.options.LimitOptions;
import io.streamml.pipelines.options.OutputOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.transforms.ingest.ReplayDeadLetters;
import io.streamml.transforms.io.WriteJsonLines;
import io.streamml.transforms.io.WriteLines;
import java.io.PrintStream;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Replays dead-letter files after a fix (usually {@code --useCaseSpec} with the corrected spec):
 * writes the events that now parse, once per id, as JSON lines to feed back with {@code --input},
 * and accounts for every letter read (see {@link ReplayDeadLetters}). Idempotent: the same letters
 * give the same files, and an event id comes out once however often it was dead-lettered.
 */
public final class ReplayDeadLettersPipeline {

  /** The replay's flags. */
  public interface Options extends UseCaseOptions, OutputOptions, LimitOptions {
    @Description(
        "Dead-letter files to replay (JSON lines as the pipelines write them, e.g."
            + " './streamml-out/dead-letters/*.jsonl'; any Beam filesystem).")
    @Validation.Required
    String getDeadLetters();

    void setDeadLetters(String value);
  }

  private ReplayDeadLettersPipeline() {}

  /** Where each kind of outcome goes, under {@code --output/replay/}. */
  public static String prefix(Options options, String kind) {
    return OutputFiles.join(options.getOutput(), "replay/" + kind + "/part");
  }

  static final List<String> OUTCOMES =
      List.of("events", "duplicates", "dead-letters", "not-replayable");

  public static void buildPipeline(Pipeline pipeline, Options options) {
    PCollection<String> lines =
        pipeline.apply("ReadDeadLetterFiles", TextIO.read().from(options.getDeadLetters()));
    ReplayDeadLetters.Result replay =
        lines
            .apply("ParseDeadLetters", ParDo.of(new ToDeadLetterFn(options.getDeadLetters())))
            .setRowSchema(DeadLetter.SCHEMA)
            .apply(
                "ReplayDeadLetters",
                ReplayDeadLetters.as(EventInputs.useCaseSpec(options))
                    .withLimits(LimitOptions.ingestLimits(options)));
    replay.events.apply("WriteEvents", WriteLines.to(prefix(options, "events")));
    replay.duplicates.apply("WriteDuplicates", WriteJsonLines.to(prefix(options, "duplicates")));
    replay.stillDeadLetters.apply(
        "WriteDeadLetters", WriteJsonLines.to(prefix(options, "dead-letters")));
    replay.notReplayable.apply(
        "WriteNotReplayable", WriteJsonLines.to(prefix(options, "not-replayable")));
  }

  /** Replays and prints how every letter read was accounted for. */
  public static void run(Options options, PrintStream out) {
    FileSystems.setDefaultPipelineOptions(options);
    EventInputs.requireMatches(options, "--deadLetters", options.getDeadLetters());
    long read = OutputFiles.countLines(options.getDeadLetters());
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    if (options.getClearOutput()) {
      OUTCOMES.forEach(kind -> OutputFiles.deleteMatching(prefix(options, kind) + "*"));
    }
    out.printf(
        "streamml replay-dead-letters: %d letters from %s%n", read, options.getDeadLetters());
    if (!PipelineRuns.runToCompletion(pipeline)) {
      out.println("streamml replay-dead-letters: the runner prepared the job without running it.");
      return;
    }
    for (String kind : OUTCOMES) {
      out.printf(
          "  %-16s %8d  %s*.jsonl%n",
          kind, OutputFiles.countLines(prefix(options, kind) + "*"), prefix(options, kind));
    }
    out.printf("feed the events back with --input='%s*.jsonl'%n", prefix(options, "events"));
  }

  /**
   * A dead-letter line as a row; a line that is no dead letter becomes one itself (not replayable),
   * so a damaged file loses nothing either.
   */
  private static final class ToDeadLetterFn extends DoFn<String, Row> {
    private final String source;
    private final RowJsonCodec codec = RowJsonCodec.of(DeadLetter.SCHEMA);

    ToDeadLetterFn(String source) {
      this.source = source;
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<Row> out) {
      try {
        out.output(codec.parse(line));
      } catch (RuntimeException e) {
        out.output(
            DeadLetter.of(
                "file:" + source,
                "replay",
                line,
                "Not a dead letter: " + e.getMessage(),
                null,
                Instant.now()));
      }
    }
  }
}
