package io.streamml.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamml.pipelines.TrainingSetFiles;
import io.streamml.schemas.UseCaseSpecs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's contract: one clear line per mistake, exit code 2, and help for every command. */
class StreammlCliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return StreammlCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void flinkGetsShortBundlesAndNoCopiesBetweenStepsUnlessTheFlagsSayOtherwise() {
    assertEquals(
        List.of("--runner=FlinkRunner", "--x=1", "--maxBundleTimeMills=10", "--fasterCopy=true"),
        List.of(
            StreammlCli.withRunnerDefaults(
                new String[] {"--runner=FlinkRunner", "--x=1"}, true, true)));
    assertEquals(
        List.of("--runner=flink", "--maxBundleTimeMills=10", "--fasterCopy=true"),
        List.of(StreammlCli.withRunnerDefaults(new String[] {"--runner=flink"}, true, true)));
    assertEquals(
        List.of("--maxBundleTimeMills=1000", "--fasterCopy=false", "--runner=FlinkRunner"),
        List.of(
            StreammlCli.withRunnerDefaults(
                new String[] {
                  "--maxBundleTimeMills=1000", "--fasterCopy=false", "--runner=FlinkRunner"
                },
                true,
                true)));
    assertEquals(
        List.of("--runner=FlinkRunner"),
        List.of(
            StreammlCli.withRunnerDefaults(new String[] {"--runner=FlinkRunner"}, false, true)));
  }

  @Test
  void theDirectRunnersChecksAreOffUnlessTheFlagsSetThem() {
    assertEquals(
        List.of(
            "--runner=DirectRunner", "--enforceImmutability=false", "--enforceEncodability=false"),
        List.of(
            StreammlCli.withRunnerDefaults(new String[] {"--runner=DirectRunner"}, true, true)));
    // No --runner: Beam's default, the Direct runner.
    assertEquals(
        List.of("--events=5", "--enforceImmutability=false", "--enforceEncodability=false"),
        List.of(StreammlCli.withRunnerDefaults(new String[] {"--events=5"}, false, true)));
    assertEquals(
        List.of("--enforceImmutability", "--runner=direct", "--enforceEncodability=false"),
        List.of(
            StreammlCli.withRunnerDefaults(
                new String[] {"--enforceImmutability", "--runner=direct"}, true, true)));
    assertEquals(
        List.of("--runner=SparkRunner"),
        List.of(StreammlCli.withRunnerDefaults(new String[] {"--runner=SparkRunner"}, true, true)));
    assertEquals(
        List.of("--runner=DirectRunner"),
        List.of(
            StreammlCli.withRunnerDefaults(new String[] {"--runner=DirectRunner"}, true, false)));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheCommands() {
    assertEquals(0, run("--help"));
    assertTrue(out().contains("demo "), out());
    assertTrue(out().contains("generate "), out());
  }

  @Test
  void everyCommandPrintsItsOptions() {
    for (String command : new String[] {"demo", "generate", "train", "bench-features"}) {
      out.reset();
      assertEquals(0, run(command, "--help"));
      assertTrue(out().startsWith("Usage: streamml " + command), out());
      assertTrue(out().contains("--seed=<Long>"), out());
    }
  }

  @Test
  void unknownCommandIsOneLine() {
    assertEquals(2, run("frobnicate"));
    assertEquals(1, err().strip().lines().count(), err());
    assertTrue(
        err().startsWith("streamml: unknown command 'frobnicate'; commands are [demo, generate, "),
        err());
    for (String command : List.of("train", "models", "score", "drift", "report", "produce")) {
      assertTrue(err().contains(command), err());
    }
    assertTrue(err().strip().endsWith("(see 'streamml --help')"), err());
  }

  @Test
  void unknownFlagIsOneLine() {
    assertEquals(2, run("demo", "--evnets=10"));
    assertEquals(1, err().strip().lines().count(), err());
    assertTrue(err().startsWith("streamml demo: unknown option --evnets"), err());
  }

  @Test
  void runnerNotInThisJarSaysWhatToDo() {
    assertEquals(2, run("demo", "--runner=FlinkRunner"));
    assertEquals(1, err().strip().lines().count(), err());
    assertTrue(err().contains("--runner=FlinkRunner is not in this jar"), err());
  }

  @Test
  void missingInputFilesAreOneLine(@TempDir Path dir) {
    assertEquals(2, run("demo", "--input=" + dir + "/nothing-*.jsonl", "--output=" + dir));
    assertEquals(
        "streamml demo: No files match --input=" + dir + "/nothing-*.jsonl", err().strip());
  }

  @Test
  void badValueIsOneLine(@TempDir Path dir) {
    assertEquals(2, run("demo", "--malformedRate=3", "--output=" + dir));
    assertEquals("streamml demo: --malformedRate must be between 0 and 1, not 3.0", err().strip());
  }

  @Test
  void missingSpecFileIsOneLine(@TempDir Path dir) {
    assertEquals(2, run("demo", "--useCaseSpec=" + dir + "/spec.json", "--output=" + dir));
    assertEquals(
        "streamml demo: Use-case spec file not found: " + dir + "/spec.json", err().strip());
  }

  @Test
  void generateThenDemoOnTheFilesAccountsForEveryLine(@TempDir Path dir) throws Exception {
    assertEquals(
        0,
        run("generate", "--useCase=maintenance", "--events=400", "--output=" + dir.resolve("gen")),
        err());
    Path extra = dir.resolve("gen/maintenance/events-extra.jsonl");
    // A valid event but for its 600-character id, which --maxStringLength=500 refuses, and a
    // second copy of a valid event, which the de-duplication refuses.
    ObjectMapper mapper = new ObjectMapper();
    String firstEvent;
    try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("gen/maintenance"))) {
      Path first = files.filter(f -> !f.equals(extra)).sorted().findFirst().orElseThrow();
      firstEvent = Files.readAllLines(first).get(0);
    }
    ObjectNode longId = (ObjectNode) mapper.readTree(firstEvent);
    longId.put("reading_id", "r-" + "x".repeat(598));
    Files.writeString(
        extra, "{\"reading_id\": \"r-x\"}\nnot json\n" + longId + "\n" + firstEvent + "\n");

    assertEquals(
        0,
        run(
            "demo",
            "--useCase=maintenance",
            "--input=" + dir.resolve("gen/maintenance") + "/*.jsonl",
            "--output=" + dir.resolve("demo"),
            "--registry=" + dir.resolve("registry"),
            "--maxStringLength=500",
            "--dedupeSeconds=300"),
        err());

    assertTrue(out().contains("wrote 400 maintenance events"), out());
    assertTrue(out().matches("(?s).*read\\s+404\\n.*events\\s+400 .*"), out());
    assertTrue(out().matches("(?s).*dead letters\\s+4 .*"), out());
    String deadLetters;
    try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("demo/dead-letters"))) {
      deadLetters = files.map(f -> readString(f)).reduce("", String::concat);
    }
    assertTrue(deadLetters.contains("600 characters long, above the limit of 500"), deadLetters);
    String id = mapper.readTree(firstEvent).get("reading_id").asText();
    assertTrue(deadLetters.contains("Duplicate event id '" + id + "'"), deadLetters);
  }

  @Test
  void produceRefusesTheSimulatorsPacingFlagsItWouldIgnore() {
    assertEquals(
        "streamml produce: --eventsPerSecond paces a pipeline's simulator; produce sends at"
            + " --ratePerSecond",
        refusal("produce", "--bootstrapServers=127.0.0.1:1", "--topic=t", "--eventsPerSecond=10"));
    assertEquals(
        "streamml produce: --malformedRate is the pipelines' simulator flag; produce takes"
            + " --produceMalformedRate",
        refusal("produce", "--bootstrapServers=127.0.0.1:1", "--topic=t", "--malformedRate=0.1"));
  }

  /** The one line a refused command printed (it exits with 2). */
  private String refusal(String... args) {
    err.reset();
    assertEquals(2, run(args));
    return err().strip();
  }

  @Test
  void badLimitsAreOneLine(@TempDir Path dir) {
    assertEquals(2, run("demo", "--maxRecordBytes=0", "--output=" + dir));
    assertEquals("streamml demo: --maxRecordBytes must be above 0, not 0", err().strip());
    err.reset();
    assertEquals(2, run("demo", "--dedupeSeconds=-1", "--output=" + dir));
    assertEquals("streamml demo: --dedupeSeconds must be 0 (off) or more, not -1", err().strip());
    err.reset();
    assertEquals(2, run("demo", "--earliestEventTime=yesterday", "--output=" + dir));
    assertEquals(
        "streamml demo: --earliestEventTime wants an ISO-8601 time such as 2020-01-01T00:00:00Z,"
            + " not 'yesterday'",
        err().strip());
  }

  @Test
  void featuresKeepingTooMuchStatePerKeyAreRefusedBeforeReading(@TempDir Path dir) {
    // The fraud spec's longest trailing window is a day, with 60 s allowed lateness.
    assertEquals(2, run("demo", "--maxStateRetentionSeconds=3600", "--output=" + dir));
    assertEquals(
        "streamml demo: Use case 'fraud' keeps each key's state for 86460 s of event time (longest"
            + " window plus allowed lateness), more than --maxStateRetentionSeconds=3600; shorten"
            + " the window or raise the flag",
        err().strip());
    err.reset();
    // Maintenance slides a 600 s window every 60 s: ten windows per event.
    assertEquals(
        2, run("demo", "--useCase=maintenance", "--maxWindowsPerEvent=5", "--output=" + dir));
    assertEquals(
        "streamml demo: Use case 'maintenance' puts each event into 10 sliding windows (size /"
            + " period), more than --maxWindowsPerEvent=5; lengthen the period or raise the flag",
        err().strip());
    assertTrue(Files.notExists(dir.resolve("features")), "nothing was read or written");
  }

  @Test
  void demoJoinsReferenceDataGivenOnTheCommandLine(@TempDir Path dir) throws Exception {
    assertEquals(0, run("generate", "--events=300", "--output=" + dir.resolve("gen")), err());
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode spec =
        (ObjectNode) mapper.readTree(UseCaseSpecs.toJson(UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD)));
    spec.put("name", "fraud-enriched");
    spec.putArray("enrichments")
        .add(
            mapper.readTree(
                "{\"name\": \"merchant_risk\", \"lookupField\": \"merchant_id\","
                    + " \"fields\": [{\"name\": \"merchant_risk\", \"type\": \"DOUBLE\"}],"
                    + " \"defaults\": {\"merchant_risk\": 0.25}}"));
    ((ArrayNode) spec.get("features").get("definitions"))
        .add(
            mapper.readTree(
                "{\"name\": \"merchant_risk\", \"aggregation\": \"VALUE\","
                    + " \"field\": \"merchant_risk\"}"));
    Path specFile = dir.resolve("spec.json");
    Files.writeString(specFile, spec.toString());
    Path merchants = dir.resolve("merchants.jsonl");
    Files.writeString(merchants, "{\"merchant_id\": \"m-0001\", \"merchant_risk\": 0.75}\n");

    assertEquals(
        0,
        run(
            "demo",
            "--useCaseSpec=" + specFile,
            "--input=" + dir.resolve("gen/fraud") + "/*.jsonl",
            "--referenceData=merchant_risk=" + merchants,
            "--output=" + dir.resolve("demo"),
            "--registry=" + dir.resolve("registry")),
        err());

    String features;
    try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("demo/features"))) {
      features = files.map(f -> readString(f)).reduce("", String::concat);
    }
    assertTrue(features.contains("\"merchant_risk\":0.25"), "unmatched merchants get the default");
    assertEquals(300, features.lines().count(), "one vector per event");
  }

  @Test
  void trainRegistersAModelThatModelsListsAndShows(@TempDir Path dir) throws Exception {
    String registry = "--registry=" + dir.resolve("registry");

    assertEquals(
        0,
        run("train", "--events=6000", "--rounds=20", registry, "--output=" + dir.resolve("out")),
        err());
    assertTrue(out().contains("model v0001 registered"), out());
    assertTrue(out().matches("(?s).*auc_roc\\s+0\\.\\d+.*"), out());
    // Progress while training (round 1, every 10th), before the summary.
    assertTrue(out().contains("  round    1   train logloss"), out());
    assertTrue(out().indexOf("  round   10   train logloss") < out().indexOf("ran "), out());
    // The training set also as Parquet, with the same rows as the JSON lines.
    Path trainingSet = dir.resolve("out/training-set");
    assertEquals(
        TrainingSetFiles.jsonRows(trainingSet),
        TrainingSetFiles.parquetRows(trainingSet, UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD)));

    out.reset();
    assertEquals(0, run("models", "list", registry), err());
    assertTrue(out().startsWith("v0001 (LATEST)  fraud"), out());
    out.reset();
    assertEquals(0, run("models", "show", registry), err());
    assertTrue(out().contains("threshold"), out());
    assertTrue(out().contains("  reference profile: "), out());
  }

  @Test
  void demoTrainsAModelWhenTheRegistryIsEmptyAndNotAgain(@TempDir Path dir) {
    String[] demo = {
      "demo",
      "--events=4000",
      "--rounds=20",
      "--output=" + dir.resolve("out"),
      "--registry=" + dir.resolve("registry")
    };

    assertEquals(0, run(demo), err());
    assertTrue(out().contains("model v0001 registered (now LATEST); holdout:"), out());
    assertTrue(out().matches("(?s).*auc_roc\\s+0\\.\\d+.*"), out());
    // Trained first, then the written feature vectors scored: one score per vector.
    assertTrue(out().contains("scoring the feature vectors with model v0001"), out());
    assertTrue(out().matches("(?s).*feature vectors\\s+(\\d+) .*scores\\s+\\1 .*"), out());
    assertTrue(out().matches("(?s).*alert rate\\s+\\d+\\.\\d+%.*"), out());
    out.reset();
    assertEquals(0, run(demo), err());
    assertTrue(!out().contains("registered"), out());
    assertTrue(out().matches("(?s).*by v0001\\s+\\d+.*"), out());
  }

  @Test
  void modelsMistakesAreOneLine(@TempDir Path dir) {
    assertEquals(2, run("models"));
    assertEquals(
        "streamml models: say what to do: one of [list, show, promote, rollback, import]"
            + " (see 'streamml models --help')",
        err().strip());
    err.reset();
    assertEquals(2, run("models", "show", "--registry=" + dir));
    assertEquals("streamml models: No models in " + dir, err().strip());
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
