package io.streamml.pipelines;

import io.streamml.pipelines.options.EnrichmentOptions;
import io.streamml.pipelines.options.EventSourceOptions;
import io.streamml.pipelines.options.LimitOptions;
import io.streamml.pipelines.options.SimulatorOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.ingest.ArchiveRaw;
import io.streamml.transforms.ingest.DropDuplicateEvents;
import io.streamml.transforms.ingest.EnrichEvents;
import io.streamml.transforms.ingest.IngestLimits;
import io.streamml.transforms.ingest.ParseEvents;
import io.streamml.transforms.ingest.ReadEvents;
import io.streamml.transforms.sim.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Turns the shared input flags into a use-case spec and a {@link ReadEvents}, checking them before
 * any pipeline is built so a mistake is one clear line, not a failed job.
 */
public final class EventInputs {

  private EventInputs() {}

  public static UseCaseSpec useCaseSpec(UseCaseOptions options) {
    if (options.getUseCaseSpec() != null) {
      return UseCaseSpecs.fromFile(Paths.get(options.getUseCaseSpec()));
    }
    return UseCaseSpecs.builtIn(options.getUseCase());
  }

  /**
   * Reads the events the flags name, parses them and drops repeated ids, as every pipeline's first
   * steps ({@code ReadEvents}, {@code ParseEvents}, {@code DropDuplicateEvents}): the events, and
   * the dead letters of all three with the source's name. With de-duplication on, Kafka records
   * read again (by partition and offset) are dropped before parsing, so none repeats a letter.
   */
  public static <T extends UseCaseOptions & EventSourceOptions & SimulatorOptions>
      WithFailures.Result<PCollection<Row>, Row> readAndParse(
          Pipeline pipeline, T options, UseCaseSpec spec, double defaultMalformedRate) {
    LimitOptions.checkFeatureState(spec, options);
    IngestLimits limits = LimitOptions.ingestLimits(options);
    Duration dedupeHorizon = LimitOptions.dedupeHorizon(options);
    ReadEvents read = readEvents(options, spec, defaultMalformedRate);
    if (dedupeHorizon != null) {
      // A malformed record read again has no id to catch it by: drop it by its Kafka offset.
      read = read.droppingRecordsReadAgain();
    }
    ParseEvents parse = ParseEvents.of(spec).withLimits(limits).withSourceName(read.sourceName());
    WithFailures.Result<PCollection<Row>, Row> parsed =
        pipeline
            .apply("ReadEvents", read)
            .apply("ParseEvents", read.stampsEventTime() ? parse.keepingRecordTimestamps() : parse);
    if (dedupeHorizon == null) {
      return parsed;
    }
    WithFailures.Result<PCollection<Row>, Row> unique =
        parsed
            .output()
            .apply(
                "DropDuplicateEvents",
                DropDuplicateEvents.byId(spec.idField(), dedupeHorizon, read.sourceName()));
    PCollection<Row> deadLetters =
        PCollectionList.of(parsed.failures())
            .and(unique.failures())
            .apply("CollectIngestDeadLetters", Flatten.pCollections())
            .setRowSchema(DeadLetter.SCHEMA);
    return WithFailures.Result.of(unique.output(), deadLetters);
  }

  /**
   * Files if {@code --input} is set, the archive for {@code --inputArchive}, Kafka for {@code
   * --inputTopic}, else the simulator. Setting more than one of them is a mistake.
   */
  public static <T extends UseCaseOptions & EventSourceOptions & SimulatorOptions>
      ReadEvents readEvents(T options, UseCaseSpec spec, double defaultMalformedRate) {
    long sources =
        Stream.of(options.getInput(), options.getInputArchive(), options.getInputTopic())
            .filter(Objects::nonNull)
            .count();
    if (sources > 1) {
      throw new IllegalArgumentException(
          "Give one event source: --input, --inputArchive or --inputTopic, not several");
    }
    if (options.getInput() != null) {
      requireMatches(options, "--input", options.getInput());
      return ReadEvents.fromJsonLines(options.getInput());
    }
    if (options.getInputArchive() != null) {
      String pattern = ArchiveRaw.filePattern(options.getInputArchive());
      requireMatches(options, "--inputArchive", pattern);
      return ReadEvents.fromArchive(pattern, spec.eventSchema());
    }
    if (options.getInputTopic() != null || options.getBootstrapServers() != null) {
      return ReadEvents.fromKafka(KafkaSources.config(options, spec));
    }
    return ReadEvents.fromSimulator(simulatorConfig(options, spec, defaultMalformedRate));
  }

  public static SimulatorConfig simulatorConfig(
      SimulatorOptions options, UseCaseSpec spec, double defaultMalformedRate) {
    if (!UseCaseSpecs.BUILT_IN.contains(spec.name())) {
      throw new IllegalArgumentException(
          "The simulator generates only the built-in use cases "
              + UseCaseSpecs.BUILT_IN
              + "; give --input=FILES for use case '"
              + spec.name()
              + "'");
    }
    long events = options.getEvents();
    if (events < 0) {
      throw new IllegalArgumentException("--events must be 0 (unbounded) or more, not " + events);
    }
    if (events == 0 && options.getEventsPerSecond() == null) {
      throw new IllegalArgumentException(
          "--events=0 (an unbounded stream) needs --eventsPerSecond to pace it");
    }
    double malformedRate =
        options.getMalformedRate() == null ? defaultMalformedRate : options.getMalformedRate();
    if (malformedRate < 0 || malformedRate > 1) {
      throw new IllegalArgumentException(
          "--malformedRate must be between 0 and 1, not " + malformedRate);
    }
    if (options.getEventsPerSecond() != null && options.getEventsPerSecond() <= 0) {
      throw new IllegalArgumentException(
          "--eventsPerSecond must be above 0, not " + options.getEventsPerSecond());
    }
    return SimulatorConfig.forUseCase(spec.name())
        .withSeed(options.getSeed())
        .withNumEvents(events == 0 ? null : events)
        .withEventsPerSecond(options.getEventsPerSecond())
        .withStartTime(time("--simStartTime", options.getSimStartTime()))
        .withShiftFrom(
            options.getShiftFrom() == null ? null : time("--shiftFrom", options.getShiftFrom()))
        .withMalformedRate(malformedRate)
        .withEntities(options.getEntities());
  }

  /**
   * Joins the spec's reference tables to parsed events, if it declares any; paths from {@code
   * --referenceData=name=path,...} override the spec's.
   */
  public static PCollection<Row> enrich(
      PCollection<Row> events, UseCaseSpec spec, EnrichmentOptions options) {
    if (spec.enrichments().isEmpty()) {
      return events;
    }
    EnrichEvents enrich = EnrichEvents.of(spec);
    String pairs = options.getReferenceData();
    if (pairs != null) {
      for (String pair : pairs.split(",")) {
        String[] nameAndPath = pair.split("=", 2);
        if (nameAndPath.length != 2) {
          throw new IllegalArgumentException(
              "--referenceData wants name=path pairs, not '" + pair + "'");
        }
        enrich = enrich.withReferencePath(nameAndPath[0].trim(), nameAndPath[1].trim());
      }
    }
    return events.apply("EnrichEvents", enrich);
  }

  static Instant time(String flag, String value) {
    try {
      return Instant.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          flag + "=" + value + " is not an ISO-8601 time such as 2026-01-01T00:00:00Z");
    }
  }

  static void requireMatches(PipelineOptions options, String flag, String pattern) {
    FileSystems.setDefaultPipelineOptions(options);
    @Nullable MatchResult match;
    try {
      match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot read " + flag + "=" + pattern + ": " + e.getMessage());
    }
    try {
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        throw new IllegalArgumentException("No files match " + flag + "=" + pattern);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("No files match " + flag + "=" + pattern);
    }
  }

  /** Where {@code options} read events from, in words, for a pipeline's first line. */
  public static String describeSource(EventSourceOptions options) {
    if (options.getInput() != null) {
      return options.getInput();
    }
    if (options.getInputArchive() != null) {
      return "the archive " + options.getInputArchive();
    }
    if (options.getInputTopic() != null) {
      return "Kafka topic " + options.getInputTopic() + " at " + options.getBootstrapServers();
    }
    return "the simulator";
  }
}
