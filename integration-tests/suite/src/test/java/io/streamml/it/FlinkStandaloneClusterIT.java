package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded demo submitted through the launcher to a real standalone Flink session cluster (a
 * JobManager and a TaskManager in their own processes, as deployed), the way a user submits it: the
 * runner jar is staged to the cluster and the job runs there, not in the client's JVM.
 */
class FlinkStandaloneClusterIT {

  private static final int EVENTS = 1_500;
  private static final long RUN_TIMEOUT_SECONDS = 150;

  @TempDir static Path dir;

  private static FlinkSessionCluster cluster;
  private static StreammlLauncher.Run clusterRun;

  @BeforeAll
  static void startClusterAndRunDemoOnIt() throws Exception {
    // The processes' logs go beside the jars, in target/.
    Path flinkLib = FlinkSessionCluster.libDir();
    cluster =
        FlinkSessionCluster.start(
            flinkLib, dir.resolve("flink"), flinkLib.getParent().resolve("logs"));
    cluster.awaitTaskManagers(1, Duration.ofSeconds(90));
    try {
      clusterRun = demo("FlinkRunner", "--flinkMaster=" + cluster.flinkMaster());
    } catch (AssertionError timedOut) {
      throw new AssertionError(timedOut.getMessage() + "\n" + cluster.logTails(), timedOut);
    }
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static StreammlLauncher.Run demo(String runner, String... runnerFlags) throws Exception {
    List<String> args = new ArrayList<>(List.of("demo", "--runner=" + runner));
    args.addAll(List.of(runnerFlags));
    args.addAll(
        List.of(
            "--events=" + EVENTS,
            "--malformedRate=0.03",
            "--output=" + output(runner),
            "--registry=" + output(runner).resolve("registry")));
    return StreammlLauncher.run(RUN_TIMEOUT_SECONDS, args.toArray(String[]::new));
  }

  private static Path output(String runner) {
    return dir.resolve("out-" + runner);
  }

  /** The launcher's output and the cluster's logs: what explains a failure on the cluster. */
  private static String diagnostics() {
    return clusterRun.output + "\n" + cluster.logTails();
  }

  @Test
  void demoSucceedsAndAccountsForEveryEvent() {
    assertEquals(0, clusterRun.exitCode, diagnostics());
    long read = DemoOutput.summaryCount(clusterRun.output, "read");
    long events = DemoOutput.summaryCount(clusterRun.output, "events");
    long deadLetters = DemoOutput.summaryCount(clusterRun.output, "dead letters");
    assertEquals(EVENTS, read, diagnostics());
    assertEquals(EVENTS, events + deadLetters, diagnostics());
  }

  @Test
  void demoRanOnTheClusterAsFinishedJobs() throws Exception {
    assertEquals(0, clusterRun.exitCode, diagnostics());
    JsonNode jobs = cluster.get("/jobs/overview").get("jobs");
    assertTrue(jobs.size() >= 1, jobs + "\n" + diagnostics());
    for (JsonNode job : jobs) {
      assertEquals("FINISHED", job.get("state").asText(), jobs + "\n" + diagnostics());
    }
  }

  @Test
  void demoSubmittedFlinkRunStyleRunsOnTheClusterWithTheSameOutput() throws Exception {
    assertEquals(0, clusterRun.exitCode, diagnostics());
    Path out = dir.resolve("out-flink-run");
    // --flinkMaster=[auto] (the default): the job goes to the cluster the Flink client targets.
    StreammlLauncher.Run run =
        cluster.flinkRun(
            StreammlLauncher.root().resolve("runners/flink/target/streamml-runner-flink.jar"),
            Duration.ofSeconds(RUN_TIMEOUT_SECONDS),
            List.of(
                "demo",
                "--runner=FlinkRunner",
                "--events=" + EVENTS,
                "--malformedRate=0.03",
                "--output=" + out,
                "--registry=" + out.resolve("registry")));
    assertEquals(0, run.exitCode, run.output + "\n" + cluster.logTails());
    assertEquals(EVENTS, DemoOutput.summaryCount(run.output, "read"), run.output);
    JsonNode jobs = cluster.get("/jobs/overview").get("jobs");
    assertTrue(jobs.size() >= 2, "the flink-run job is not on the cluster: " + jobs);
    assertEquals(
        DemoOutput.sortedLines(output("FlinkRunner").resolve("events")),
        DemoOutput.sortedLines(out.resolve("events")));
  }

  @Test
  void eventsAreThoseTheDirectRunnerWrites() throws Exception {
    assertEquals(0, clusterRun.exitCode, diagnostics());
    StreammlLauncher.Run direct = demo("DirectRunner");
    assertEquals(0, direct.exitCode, direct.output);
    assertEquals(
        DemoOutput.sortedLines(output("DirectRunner").resolve("events")),
        DemoOutput.sortedLines(output("FlinkRunner").resolve("events")));
  }
}
