package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded demo submitted through the launcher to a real Spark 3.5 standalone cluster, as users
 * submit to one: a master, a worker and its executors in their own JVMs on loopback, started from
 * Spark's jars (copied to {@code integration-tests/cluster-spark/target/spark-home} by the build).
 * It must write the same records as the Direct runner, with every task succeeding at its first
 * attempt.
 */
class SparkStandaloneClusterIT {

  private static final int EVENTS = 1_500;
  private static final long RUN_TIMEOUT_SECONDS = 150;

  @TempDir static Path output;

  private static SparkStandaloneCluster cluster;
  private static Path directOutput;
  private static String directCounts;
  private static Path clusterOutput;
  private static String clusterCounts;

  @BeforeAll
  static void runDemoOnDirectAndOnTheCluster() throws Exception {
    Path sparkHome = Paths.get(requiredProperty("spark.home"));
    List<String> java17Flags = List.of(requiredProperty("spark.java17.flags").trim().split("\\s+"));
    // Beside the Spark home in target/, and kept after the run for reading its logs.
    cluster =
        SparkStandaloneCluster.start(
            sparkHome, sparkHome.resolveSibling("spark-cluster"), java17Flags);

    directOutput = output.resolve("direct");
    directCounts =
        demo(
            Map.of(),
            "--runner=DirectRunner",
            "--output=" + directOutput,
            "--registry=" + directOutput.resolve("registry"));

    clusterOutput = output.resolve("cluster");
    clusterCounts =
        demo(
            Map.of(
                // The driver too listens on loopback only, for the executors to reach it.
                "SPARK_LOCAL_IP", "127.0.0.1",
                // A task that fails fails the run, instead of passing on a retry.
                "STREAMML_JAVA_OPTS", "-Dspark.task.maxFailures=1"),
            "--runner=SparkRunner",
            "--sparkMaster=" + cluster.masterUrl(),
            "--output=" + clusterOutput,
            "--registry=" + clusterOutput.resolve("registry"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Runs the demo and returns the counts it printed, checked to account for every record. */
  private static String demo(Map<String, String> environment, String... flags) throws Exception {
    String[] args =
        Stream.concat(
                Stream.of("demo", "--events=" + EVENTS, "--malformedRate=0.03"), Stream.of(flags))
            .toArray(String[]::new);
    StreammlLauncher.Run run = StreammlLauncher.run(environment, RUN_TIMEOUT_SECONDS, args);
    assertEquals(0, run.exitCode, run.output + "\n" + cluster.logTails());
    return DemoOutput.counts(run.output, EVENTS);
  }

  @Test
  void clusterRunCountsTheSameRecordsAsDirectRunner() {
    assertEquals(directCounts, clusterCounts);
  }

  @Test
  void clusterRunWritesTheSameRecordsAsDirectRunner() throws Exception {
    assertEquals(DemoOutput.sortedEvents(directOutput), DemoOutput.sortedEvents(clusterOutput));
    assertEquals(
        DemoOutput.sortedDeadLetters(directOutput), DemoOutput.sortedDeadLetters(clusterOutput));
  }

  @Test
  void demoRanAsAnApplicationOnTheClustersWorker() throws Exception {
    // Into an empty registry the demo runs two applications: features (then it trains), and the
    // scoring of the vectors it wrote.
    JsonNode master =
        cluster.awaitMaster(
            "the demo's applications to be listed as completed",
            status ->
                status.path("completedapps").size() >= 1 && status.path("activeapps").size() == 0);
    for (JsonNode completed : master.path("completedapps")) {
      assertEquals("FINISHED", completed.path("state").asText(), master.toPrettyString());
    }
    JsonNode app = master.path("completedapps").get(0);

    String appId = app.path("id").asText();
    cluster.awaitWorker(
        "an executor of " + appId + " to be listed as finished",
        status ->
            StreamSupport.stream(status.path("finishedexecutors").spliterator(), false)
                .anyMatch(executor -> appId.equals(executor.path("appid").asText())));
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          name + " is not set; run through Maven: mvn verify -pl integration-tests");
    }
    return value;
  }
}
