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
 * --outputExactlyOnce}, read with {@code read_committed}, a savepoint stop repeats no score and no
 * dead letter.
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

    Run(String name, boolean exactlyOnce, boolean killTaskManager) {
      this.name = name;
      this.exactlyOnce = exactlyOnce;
      this.killTaskManager = killTaskManager;
    }

    String topic(String what) {
      return name + "-" + what;
    }

    List<String> topics() {
      return List.of(topic("events") + ":3", topic("scores"), topic("alerts"), topic("dead"));
    }
  }

  private static final Run AT_LEAST_ONCE = new Run("faults", false, true);
  // No kill: Beam's exactly-once sink re-numbers records read again after a restore, so a kill
  // can repeat them (docs/kafka.md); a savepoint stop and resume must repeat no score.
  private static final Run EXACTLY_ONCE = new Run("faults-eos", true, false);

  /**
   * The producer sends at {@value #EVENTS_PER_SECOND}/s until the resumed job has scored records
   * sent after the stop, then is stopped: the faults come mid-stream however slow the machine (the
   * exactly-once job's checkpoints took up to 33 s each while records flowed). This many outlast
   * every wait below.
   */
  private static final int MAX_EVENTS = 5_000;

  private static final int EVENTS_PER_SECOND = 5;

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
                // (apache/beam#34890): with de-duplication on, what it reads again is dropped by
                // partition and offset before parsing. An hour outlasts the run on any machine.
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

  /**
   * Counts the repeats by what can have caused them. A restore replays what came after its
   * checkpoint, so the kill can repeat only events scored between the restored checkpoint's trigger
   * and the kill; the restored job may still be replaying them when the stop comes, so their
   * repeats can also come after the resume. Every other repeat is the stop's.
   */
  private static void countRepeats(
      List<ConsumerRecord<byte[], byte[]>> records, List<JsonNode> scores, Outcome outcome) {
    Set<String> killWindow = new HashSet<>();
    Map<String, List<String>> writes = new java.util.TreeMap<>();
    for (int i = 0; i < scores.size(); i++) {
      ConsumerRecord<byte[], byte[]> record = records.get(i);
      String id = scores.get(i).get("event_id").asText();
      if (record.timestamp() >= outcome.restoredCheckpointTrigger
          && record.timestamp() <= outcome.killedAt) {
        killWindow.add(id);
      }
      writes
          .computeIfAbsent(id, any -> new ArrayList<>())
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
    writes.entrySet().removeIf(e -> e.getValue().size() < 2);
    for (Map.Entry<String, List<String>> repeated : writes.entrySet()) {
      if (killWindow.contains(repeated.getKey())) {
        outcome.repeatsOfTheKillWindow += repeated.getValue().size() - 1;
      } else {
        outcome.otherRepeats += repeated.getValue().size() - 1;
      }
    }
    writes.keySet().removeAll(killWindow);
    outcome.otherRepeatWrites = writes.toString();
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
    // after its checkpoint, so the kill can repeat each score written after that checkpoint's
    // trigger, and the stop each one written after it was asked for (countRepeats).
    assertTrue(
        outcome.otherRepeats <= outcome.writtenAfterTheStopRequest,
        outcome.otherRepeats
            + " scores repeated of events the kill cannot have repeated, more than the "
            + outcome.writtenAfterTheStopRequest
            + " written after the savepoint stop was asked for: "
            + outcome.otherRepeatWrites);
    assertTrue(
        outcome.repeats
            <= outcome.writtenAfterTheRestoredCheckpoint + outcome.writtenAfterTheStopRequest,
        outcome.repeats
            + " scores repeated, more than the "
            + outcome.writtenAfterTheRestoredCheckpoint
            + " written after the checkpoint the job was restored from and the "
            + outcome.writtenAfterTheStopRequest
            + " written after the stop was asked for");
  }

  @Test
  void exactlyOnceSinkRepeatsNothingAcrossAStopWithSavepoint() throws Exception {
    Outcome outcome = runThroughBothFaults(EXACTLY_ONCE);
    assertEquals(0, outcome.repeats, "scores repeated with --outputExactlyOnce");
    // The resumed job reads records again (apache/beam#34890, docs/reliability.md); they are
    // dropped by partition and offset before parsing, so no malformed record's letter comes again.
    assertEquals(
        0,
        outcome.letterRepeats,
        "dead letters repeated with --outputExactlyOnce, at stages "
            + outcome.repeatedLetterStages);
  }

  /** What a run through both faults wrote. */
  private static final class Outcome {
    int atKill;
    int beforeStop;
    long writtenAfterTheRestoredCheckpoint;
    long writtenAfterTheStopRequest;
    long restoredCheckpointTrigger = Long.MAX_VALUE;
    long killedAt = Long.MAX_VALUE;
    long stopRequestedAt;
    long repeats;
    long repeatsOfTheKillWindow;
    long otherRepeats;
    String otherRepeatWrites = "";
    long repeatedIdLetters;
    long letterRepeats;
    Set<String> repeatedLetterStages = Set.of();
    boolean producingAtStop;
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
              "--events=" + MAX_EVENTS,
              "--produceMalformedRate=0.05",
              "--ratePerSecond=" + EVENTS_PER_SECOND);
      String job = jobId;
      long[] checkpointAfter = {-1};
      Polling.until(
          first,
          300,
          () ->
              run.exactlyOnce
                  ? everySinkCheckpointed(run, job, checkpointAfter)
                  : !scores(run).isEmpty() && completedCheckpoints(job) > 0);
      if (run.killTaskManager) {
        // The job restores from this checkpoint or a later one, which repeats less.
        outcome.restoredCheckpointTrigger = latestCompletedCheckpointTrigger(jobId);
        cluster.killTaskManager();
        outcome.killedAt = System.currentTimeMillis();
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
      outcome.writtenAfterTheRestoredCheckpoint =
          writtenBetween(written, outcome.restoredCheckpointTrigger, outcome.killedAt);
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
    String failuresOfTheFirstJob = cluster.exceptions(jobId);
    String input = run.topic("events");

    List<String> resumed = scoreArgs(run);
    resumed.add("--savepointPath=" + savepoint);
    StreammlLauncher.Background second = StreammlLauncher.start(resumed.toArray(String[]::new));
    int sent;
    try {
      // Resumed mid-stream: it scores records sent after the stop, then the producer stops.
      Polling.until(second, 300, () -> scores(run).size() > outcome.beforeStop);
      assertTrue(producer.isAlive(), "produce ended before the resumed job scored: " + MAX_EVENTS);
      producer.kill();
      // What the broker had acknowledged before the kill is appended by now.
      Thread.sleep(2_000);
      sent = broker.readAll(input).size();
      Polling.until(
          second,
          300,
          () ->
              new HashSet<>(sortedIds(scores(run))).size() + deadLettersOfInputRecords(run)
                  >= sent);
    } catch (AssertionError e) {
      if (producer.isAlive()) {
        producer.kill();
      }
      throw new AssertionError(
          e.getMessage() + "\n" + unaccounted(run) + "\n" + cluster.logTails(), e);
    } finally {
      cluster.cancel(cluster.runningJobId());
      second.kill();
    }
    List<ConsumerRecord<byte[], byte[]>> scoreRecords = broker.readAll(run.topic("scores"));
    List<JsonNode> scores = TopicJson.json(scoreRecords);
    countRepeats(scoreRecords, scores, outcome);
    List<JsonNode> deadLetters = TopicJson.read(broker, run.topic("dead"));
    assertEquals(sent, broker.readAll(input).size(), "records appended after the producer stopped");
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
    assertTrue(deadLetters.size() > 0 && scored.size() > sent / 2, "produce sent both kinds");
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
    System.out.printf(
        "Flink cluster faults (%s sink): %d events sent; %d scores committed when the TaskManager"
            + " was killed, %d when the job stopped with a savepoint (producer %s); %d scores (%d"
            + " events) and %d dead letters in all: %d scores repeated (%d of events scored between the"
            + " restored checkpoint's trigger and the kill, %d written there; %d others, of %d"
            + " written after the stop was asked for), %d dead letters repeated, %d records read"
            + " again caught as repeated ids, 0 lost%n%s",
        run.exactlyOnce ? "exactly-once" : "at-least-once",
        sent,
        outcome.atKill,
        outcome.beforeStop,
        outcome.producingAtStop ? "still sending" : "done",
        scores.size(),
        scored.size(),
        deadLetters.size(),
        outcome.repeats,
        outcome.repeatsOfTheKillWindow,
        outcome.writtenAfterTheRestoredCheckpoint,
        outcome.otherRepeats,
        outcome.writtenAfterTheStopRequest,
        outcome.letterRepeats,
        outcome.repeatedIdLetters,
        failuresOfTheFirstJob);
    return outcome;
  }
}
