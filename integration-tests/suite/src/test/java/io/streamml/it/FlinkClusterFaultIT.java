package io.streamml.it;

import static io.streamml.it.KafkaAccounting.idsNotDeadLettered;
import static io.streamml.it.KafkaAccounting.sortedIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamml score} on a real standalone Flink cluster with checkpoints, taken through two
 * faults while a paced {@code produce} fills its topic: the TaskManager process is killed (SIGKILL)
 * and replaced, so Flink restarts the job from its last checkpoint; later the job is stopped with a
 * savepoint and submitted again from it ({@code --savepointPath}). Every input record is then
 * accounted for: scored or dead-lettered, none lost. With the default sink each fault repeats at
 * most what the job wrote after the checkpoint it resumes from was triggered; with {@code
 * --outputExactlyOnce}, read with {@code read_committed}, a savepoint stop repeats no score (only
 * letters of malformed records the resumed job reads again).
 */
class FlinkClusterFaultIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path work;
  private static LocalKafkaBroker broker;
  private static FlinkSessionCluster cluster;

  /** One run's topics, group and job name. */
  private static final class Run {
    final String name;
    final boolean exactlyOnce;
    final boolean killTaskManager;
    final int events;

    Run(String name, boolean exactlyOnce, boolean killTaskManager, int events) {
      this.name = name;
      this.exactlyOnce = exactlyOnce;
      this.killTaskManager = killTaskManager;
      this.events = events;
    }

    String topic(String what) {
      return name + "-" + what;
    }

    List<String> topics() {
      return List.of(topic("events") + ":3", topic("scores"), topic("alerts"), topic("dead"));
    }
  }

  private static final Run AT_LEAST_ONCE = new Run("faults", false, true, 400);
  // No kill: Beam's exactly-once sink re-numbers records read again after a restore, so a kill
  // can repeat them (docs/kafka.md); a savepoint stop and resume must repeat no score. 150 s of
  // events: its checkpoints took up to 33 s each while records flowed, and the stop, which waits
  // for two of them after the first commit to each topic, came 60 to over 80 s in.
  private static final Run EXACTLY_ONCE = new Run("faults-eos", true, false, 750);

  @BeforeAll
  static void startBrokerAndClusterAndTrain() throws Exception {
    List<String> topics = new ArrayList<>(AT_LEAST_ONCE.topics());
    topics.addAll(EXACTLY_ONCE.topics());
    broker = LocalKafkaBroker.start(work, topics.toArray(String[]::new));
    Path flinkLib = FlinkSessionCluster.libDir();
    cluster =
        FlinkSessionCluster.start(
            flinkLib,
            work.resolve("flink"),
            // Each failsafe execution runs this class: keep each run's logs.
            flinkLib.getParent().resolve("logs-faults-" + System.currentTimeMillis()),
            FlinkSessionConfig.RESTART_FAILED_JOBS);
    StreammlLauncher.trainModel(work.resolve("registry"), work.resolve("train"), 4000, 20);
    cluster.awaitTaskManagers(1, Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopClusterAndBroker() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private static List<String> scoreArgs(Run run) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "score",
                "--runner=FlinkRunner",
                "--flinkMaster=" + cluster.flinkMaster(),
                "--parallelism=2",
                // The exactly-once sink's transactions are named after the job: keep it.
                "--jobName=streamml" + run.name.replace("-", ""),
                "--checkpointingInterval=1000",
                // Not the launcher's 10 ms: every ParDo checks its bundle that often, and on this
                // job's 56 tasks that took the TaskManager to 1.2 cores at 5 events/s (0.4 with
                // 100 ms); with the broker and the cluster on 2 cores, checkpoints then stalled.
                "--maxBundleTimeMills=100",
                "--stateBackend=filesystem",
                "--stateBackendStoragePath=" + work.resolve(run.name + "-checkpoints").toUri(),
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--kafkaProperties=default.api.timeout.ms=180000,request.timeout.ms=60000",
                "--inputTopic=" + run.topic("events"),
                // A partition idle across a fault must not make the simulated events late.
                "--eventTimeFrom=kafkaTimestamp",
                // Beam 2.62's Flink source adds a second reader per split on each restore
                // (apache/beam#34890): what it reads again becomes dedupe letters, not scores.
                // An hour outlasts the run on any machine.
                "--dedupeSeconds=3600",
                "--consumerGroup=" + run.name,
                "--outputTopicScores=" + run.topic("scores"),
                "--outputTopicAlerts=" + run.topic("alerts"),
                "--outputTopicDeadLetters=" + run.topic("dead"),
                "--output=" + work.resolve(run.name + "-out"),
                "--registry=" + work.resolve("registry")));
    if (run.exactlyOnce) {
      args.add("--outputExactlyOnce");
      // The stop waits for a first alert (everySinkCheckpointed). At the model's threshold about
      // one event in a hundred alerts: in CI none came within the wait, and elsewhere it came
      // after the producer ended, leaving the resumed job nothing to read. With every score an
      // alert the stop comes mid-stream.
      args.add("--threshold=0");
    }
    return args;
  }

  private static List<JsonNode> scores(Run run) {
    return TopicJson.read(broker, run.topic("scores"));
  }

  /**
   * The input records the dead letters stand for: one per payload (a letter written twice is a
   * repeat), less the letters of ids read again, which stand for no input record of their own.
   */
  private static int deadLettersOfInputRecords(Run run) {
    List<JsonNode> letters = withoutRepeatedLetters(run, TopicJson.read(broker, run.topic("dead")));
    return letters.size() - KafkaAccounting.repeatedIdLetters(letters).size();
  }

  /** The input records neither scored nor dead-lettered yet, for a failure message. */
  private static String unaccounted(Run run) {
    Set<String> letters = KafkaAccounting.payloads(TopicJson.read(broker, run.topic("dead")));
    Set<String> scored = Set.copyOf(sortedIds(scores(run)));
    List<String> missing = new ArrayList<>();
    for (String payload : KafkaAccounting.inputPayloads(broker, run.topic("events"))) {
      if (letters.contains(payload)) {
        continue;
      }
      try {
        JsonNode id = MAPPER.readTree(payload).get("transaction_id");
        if (id != null && scored.contains(id.asText())) {
          continue;
        }
      } catch (java.io.IOException notJson) {
        // Not JSON and not dead-lettered: missing.
      }
      missing.add(payload);
    }
    return missing.size() + " input records neither scored nor dead-lettered: " + missing;
  }

  /**
   * The letters less repeats: at most as many letters per payload as input records have it (the
   * simulator sends some payloads, e.g. empty ones, more than once). Letters of ids read again
   * (dedupe) are kept as they are.
   */
  private static List<JsonNode> withoutRepeatedLetters(Run run, List<JsonNode> letters) {
    Map<String, Long> inputs =
        KafkaAccounting.inputPayloads(broker, run.topic("events")).stream()
            .collect(Collectors.groupingBy(p -> p, Collectors.counting()));
    Map<String, Long> seen = new java.util.HashMap<>();
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode letter : letters) {
      String payload = letter.get("raw_payload").asText();
      boolean repeatedId = "dedupe".equals(letter.get("stage").asText());
      if (repeatedId || seen.merge(payload, 1L, Long::sum) <= inputs.getOrDefault(payload, 0L)) {
        kept.add(letter);
      }
    }
    return kept;
  }

  private static Map<String, Long> countsById(List<JsonNode> rows) {
    return rows.stream()
        .collect(Collectors.groupingBy(r -> r.get("event_id").asText(), Collectors.counting()));
  }

  /** When the job's latest completed checkpoint was triggered, in epoch milliseconds. */
  private static long latestCompletedCheckpointTrigger(String jobId) throws Exception {
    return cluster
        .get("/jobs/" + jobId + "/checkpoints")
        .path("latest")
        .path("completed")
        .path("trigger_timestamp")
        .asLong();
  }

  /** The records appended (producer time) from {@code from} to {@code to}, both included. */
  private static long writtenBetween(
      List<ConsumerRecord<byte[], byte[]>> records, long from, long to) {
    return records.stream().filter(r -> r.timestamp() >= from && r.timestamp() <= to).count();
  }

  /** The ids the resumed job scored twice, none scored before the stop, with their writes. */
  private static String repeatedByNeither(
      List<ConsumerRecord<byte[], byte[]>> records,
      List<JsonNode> scores,
      Map<String, Long> countsBeforeStop,
      Outcome outcome) {
    Map<String, List<String>> writes = new java.util.TreeMap<>();
    for (int i = 0; i < scores.size(); i++) {
      ConsumerRecord<byte[], byte[]> record = records.get(i);
      writes
          .computeIfAbsent(scores.get(i).get("event_id").asText(), id -> new ArrayList<>())
          .add(
              "p"
                  + record.partition()
                  + "@"
                  + record.offset()
                  + " +"
                  + (record.timestamp() - outcome.stopRequestedAt)
                  + "ms "
                  + scores.get(i));
    }
    writes
        .entrySet()
        .removeIf(e -> e.getValue().size() < 2 || countsBeforeStop.containsKey(e.getKey()));
    return writes.toString();
  }

  private static long completedCheckpoints(String jobId) throws Exception {
    return cluster.get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
  }

  /** True once the job was restored from a checkpoint after a failure, and all of it runs again. */
  private static boolean restoredAndRunning(String jobId) throws Exception {
    JsonNode restored =
        cluster.get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
    return !restored.isMissingNode() && !restored.isNull() && cluster.allTasksRunning(jobId);
  }

  /**
   * True once each output topic has a committed record and a checkpoint completed after that.
   * Beam's exactly-once Kafka sink keeps a shard's writer id in state only after its first
   * transaction; restored from a checkpoint taken before that, it refuses to go on and the job
   * restarts forever (Beam 2.62). Waiting for this is the workaround (docs/kafka.md).
   */
  private static boolean everySinkCheckpointed(Run run, String jobId, long[] checkpointAfter)
      throws Exception {
    boolean allWritten =
        List.of("scores", "alerts", "dead").stream()
            .allMatch(t -> !broker.readAll(run.topic(t)).isEmpty());
    if (!allWritten) {
      return false;
    }
    long completed = completedCheckpoints(jobId);
    if (checkpointAfter[0] < 0) {
      checkpointAfter[0] = completed;
    }
    return completed >= checkpointAfter[0] + 2;
  }

  @Test
  void atLeastOnceSinkLosesNothingAndRepeatsOnlyWhatCameAfterTheCheckpoint() throws Exception {
    Outcome outcome = runThroughBothFaults(AT_LEAST_ONCE);
    // A repeat is a score written again for an event scored already. A restore replays what came
    // after its checkpoint, so it can repeat only scores written after that checkpoint's trigger.
    assertTrue(
        outcome.repeatedAfterTheKill <= outcome.writtenAfterTheRestoredCheckpoint,
        outcome.repeatedAfterTheKill
            + " scores repeated after the kill, more than the "
            + outcome.writtenAfterTheRestoredCheckpoint
            + " written after the checkpoint the job was restored from");
    assertTrue(
        outcome.repeatedAfterTheStop <= outcome.writtenAfterTheStopRequest,
        outcome.repeatedAfterTheStop
            + " scores repeated after the savepoint stop, more than the "
            + outcome.writtenAfterTheStopRequest
            + " written after the stop was asked for");
    assertEquals(
        outcome.repeats,
        outcome.repeatedAfterTheKill + outcome.repeatedAfterTheStop,
        "scores repeated by neither fault: " + outcome.repeatedByNeither);
  }

  @Test
  void exactlyOnceSinkRepeatsNoScoreAcrossAStopWithSavepoint() throws Exception {
    Outcome outcome = runThroughBothFaults(EXACTLY_ONCE);
    assertEquals(0, outcome.repeats, "scores repeated with --outputExactlyOnce");
    // The resumed job reads records again (apache/beam#34890, docs/reliability.md): a valid event
    // read again is caught by its id, a malformed record has none, so its letter comes again.
    // Those are the only repeats the exactly-once sink lets through.
    assertTrue(
        Set.of("parse", "validate").containsAll(outcome.repeatedLetterStages),
        "dead letters repeated at stages " + outcome.repeatedLetterStages);
  }

  /** What a run through both faults wrote. */
  private static final class Outcome {
    int atKill;
    int beforeStop;
    long writtenAfterTheRestoredCheckpoint;
    long repeatedAfterTheKill;
    long writtenAfterTheStopRequest;
    long stopRequestedAt;
    String repeatedByNeither = "";
    long repeats;
    long repeatedIdLetters;
    long letterRepeats;
    Set<String> repeatedLetterStages = Set.of();
    boolean producingAtStop;
    long repeatedAfterTheStop;
  }

  private static Outcome runThroughBothFaults(Run run) throws Exception {
    try {
      return runThroughBothFaultsOnce(run);
    } finally {
      // A failed run must not leave its job holding the TaskManager's slots.
      cluster.cancelAllJobs(Duration.ofMinutes(1));
    }
  }

  private static Outcome runThroughBothFaultsOnce(Run run) throws Exception {
    Outcome outcome = new Outcome();
    StreammlLauncher.Background producer = null;
    StreammlLauncher.Background first =
        StreammlLauncher.start(scoreArgs(run).toArray(String[]::new));
    String jobId = null;
    Map<String, Long> countsBeforeStop;
    String savepoint;
    try {
      // The job first, then the events: a slow start must not eat the time the faults need.
      Polling.until(
          first,
          300,
          () -> cluster.runningJobId() != null && cluster.allTasksRunning(cluster.runningJobId()));
      jobId = cluster.runningJobId();
      producer =
          StreammlLauncher.start(
              "produce",
              "--bootstrapServers=" + broker.bootstrapServers(),
              "--topic=" + run.topic("events"),
              "--events=" + run.events,
              "--produceMalformedRate=0.05",
              "--ratePerSecond=5");
      String job = jobId;
      long[] checkpointAfter = {-1};
      Polling.until(
          first,
          300,
          () ->
              run.exactlyOnce
                  ? everySinkCheckpointed(run, job, checkpointAfter)
                  : !scores(run).isEmpty() && completedCheckpoints(job) > 0);
      if (run.exactlyOnce) {
        assertTrue(producer.isAlive(), "the producer ended before the stop; pace it slower");
      }
      long restoredCheckpointTrigger = Long.MAX_VALUE;
      long killedAt = Long.MAX_VALUE;
      if (run.killTaskManager) {
        assertTrue(producer.isAlive(), "the producer ended before the kill; pace it slower");
        // The job restores from this checkpoint or a later one, which repeats less.
        restoredCheckpointTrigger = latestCompletedCheckpointTrigger(jobId);
        cluster.killTaskManager();
        killedAt = System.currentTimeMillis();
        // Nothing writes between the kill and the new TaskManager's restore.
        outcome.atKill = scores(run).size();
        cluster.replaceTaskManager();
        String restarted = jobId;
        Polling.until(
            first, 300, () -> restoredAndRunning(restarted) && scores(run).size() > outcome.atKill);
      }
      outcome.producingAtStop = producer.isAlive();
      long stopRequestedAt = System.currentTimeMillis();
      outcome.stopRequestedAt = stopRequestedAt;
      savepoint =
          cluster.stopWithSavepoint(
              jobId, work.resolve(run.name + "-savepoints"), Duration.ofMinutes(3));
      first.waitFor(120);
      List<ConsumerRecord<byte[], byte[]>> written = broker.readAll(run.topic("scores"));
      List<JsonNode> before = TopicJson.json(written);
      outcome.beforeStop = before.size();
      countsBeforeStop = countsById(before);
      outcome.repeatedAfterTheKill = before.size() - countsBeforeStop.size();
      outcome.writtenAfterTheRestoredCheckpoint =
          writtenBetween(written, restoredCheckpointTrigger, killedAt);
      outcome.writtenAfterTheStopRequest = writtenBetween(written, stopRequestedAt, Long.MAX_VALUE);
    } catch (AssertionError e) {
      if (producer != null) {
        producer.kill();
      }
      String failures = jobId == null ? "" : cluster.exceptions(jobId);
      throw new AssertionError(e.getMessage() + "\n" + failures + cluster.logTails(), e);
    } finally {
      if (first.isAlive()) {
        first.kill();
      }
    }
    assertEquals(0, producer.waitFor(300), "produce failed");
    String failuresOfTheFirstJob = cluster.exceptions(jobId);

    List<String> resumed = scoreArgs(run);
    resumed.add("--savepointPath=" + savepoint);
    StreammlLauncher.Background second = StreammlLauncher.start(resumed.toArray(String[]::new));
    try {
      Polling.until(
          second,
          300,
          () ->
              new HashSet<>(sortedIds(scores(run))).size() + deadLettersOfInputRecords(run)
                  >= run.events);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "\n" + unaccounted(run) + "\n" + cluster.logTails(), e);
    } finally {
      cluster.cancel(cluster.runningJobId());
      second.kill();
    }
    List<ConsumerRecord<byte[], byte[]>> scoreRecords = broker.readAll(run.topic("scores"));
    List<JsonNode> scores = TopicJson.json(scoreRecords);
    outcome.repeatedByNeither = repeatedByNeither(scoreRecords, scores, countsBeforeStop, outcome);
    List<JsonNode> deadLetters = TopicJson.read(broker, run.topic("dead"));
    String input = run.topic("events");
    assertEquals(run.events, broker.readAll(input).size(), "acknowledged = stored");
    // Every valid event scored and nothing else: none lost (repeats are counted below).
    // The dead-letter sink is at-least-once too: a letter written twice is a repeat.
    List<JsonNode> distinctLetters = withoutRepeatedLetters(run, deadLetters);
    outcome.letterRepeats = deadLetters.size() - distinctLetters.size();
    Set<JsonNode> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    kept.addAll(distinctLetters);
    outcome.repeatedLetterStages =
        deadLetters.stream()
            .filter(letter -> !kept.contains(letter))
            .map(letter -> letter.get("stage").asText())
            .collect(Collectors.toSet());
    List<String> expected = idsNotDeadLettered(broker, input, distinctLetters);
    Set<String> scored = Set.copyOf(sortedIds(scores));
    assertEquals(Set.copyOf(expected), scored, "an event lost or one never sent scored");
    assertEquals(expected.size(), Set.copyOf(expected).size(), "the input repeats an id");
    assertTrue(deadLetters.size() > 0 && scored.size() > run.events / 2, "produce sent both kinds");
    // A record read again after the restore is caught by the de-duplication, as a letter of an
    // id that was scored.
    List<JsonNode> repeatedIds = KafkaAccounting.repeatedIdLetters(deadLetters);
    for (JsonNode letter : repeatedIds) {
      String id =
          MAPPER.readTree(letter.get("raw_payload").asText()).get("transaction_id").asText();
      assertTrue(scored.contains(id), "a repeated-id letter of an event never scored: " + letter);
    }
    outcome.repeatedIdLetters = repeatedIds.size();
    outcome.repeats = scores.size() - scored.size();
    // Scores written again after the resume for events scored before the stop.
    Map<String, Long> counts = countsById(scores);
    outcome.repeatedAfterTheStop =
        countsBeforeStop.entrySet().stream()
            .mapToLong(e -> counts.get(e.getKey()) - e.getValue())
            .sum();
    System.out.printf(
        "Flink cluster faults (%s sink): %d events sent; %d scores committed when the TaskManager"
            + " was killed, %d when the job stopped with a savepoint (producer %s); %d scores (%d"
            + " events) and %d dead letters in all: %d scores repeated (%d after the kill, of %d"
            + " written after the restored checkpoint; %d after the savepoint, of %d written after"
            + " the stop was asked for), %d dead letters repeated, %d records read again caught as"
            + " repeated ids, 0 lost%n%s",
        run.exactlyOnce ? "exactly-once" : "at-least-once",
        run.events,
        outcome.atKill,
        outcome.beforeStop,
        outcome.producingAtStop ? "still sending" : "done",
        scores.size(),
        scored.size(),
        deadLetters.size(),
        outcome.repeats,
        outcome.repeatedAfterTheKill,
        outcome.writtenAfterTheRestoredCheckpoint,
        outcome.repeatedAfterTheStop,
        outcome.writtenAfterTheStopRequest,
        outcome.letterRepeats,
        outcome.repeatedIdLetters,
        failuresOfTheFirstJob);
    return outcome;
  }
}
