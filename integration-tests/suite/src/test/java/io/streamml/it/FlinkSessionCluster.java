package io.streamml.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real standalone Flink session cluster, as users run one: a JobManager and one TaskManager, each
 * its own {@code java} process on the loopback address, started from the Flink jars in a folder.
 * Jobs reach it the way a client does, through its REST address ({@link #flinkMaster()}).
 */
final class FlinkSessionCluster implements AutoCloseable {

  private static final String JOB_MANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER_MAIN =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final int TAIL_LINES = 60;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String CLI_FRONTEND_MAIN = "org.apache.flink.client.cli.CliFrontend";

  private final FlinkSessionConfig config;
  private final Path flinkLib;
  private final Path configDir;
  private final Path logDir;
  private final LoggedJavaProcess jobManager;
  private final LoggedJavaProcess taskManager;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private FlinkSessionCluster(
      FlinkSessionConfig config,
      Path flinkLib,
      Path configDir,
      Path logDir,
      LoggedJavaProcess jobManager,
      LoggedJavaProcess taskManager) {
    this.config = config;
    this.flinkLib = flinkLib;
    this.configDir = configDir;
    this.logDir = logDir;
    this.jobManager = jobManager;
    this.taskManager = taskManager;
  }

  /**
   * Starts the JobManager and the TaskManager from the jars in {@code flinkLib}, with their
   * configuration and temporary files under {@code workDir} and their output in {@code logDir}.
   * Returns without waiting for them to be ready: see {@link #awaitTaskManagers}.
   */
  static FlinkSessionCluster start(Path flinkLib, Path workDir, Path logDir)
      throws IOException, InterruptedException {
    FlinkSessionConfig config = FlinkSessionConfig.onFreePorts();
    Path configDir = workDir.resolve("conf");
    config.writeTo(configDir, workDir.resolve("tmp"));
    List<String> configArgs = List.of("--configDir", configDir.toString());
    LoggedJavaProcess jobManager =
        LoggedJavaProcess.start(
            "jobmanager",
            config.jobManagerJvmFlags(),
            flinkLib,
            JOB_MANAGER_MAIN,
            configArgs,
            logDir.resolve("jobmanager.log"));
    try {
      LoggedJavaProcess taskManager =
          LoggedJavaProcess.start(
              "taskmanager",
              config.taskManagerJvmFlags(),
              flinkLib,
              TASK_MANAGER_MAIN,
              configArgs,
              logDir.resolve("taskmanager.log"));
      return new FlinkSessionCluster(config, flinkLib, configDir, logDir, jobManager, taskManager);
    } catch (IOException | RuntimeException e) {
      jobManager.close();
      throw e;
    }
  }

  /**
   * Submits {@code jar} the way {@code bin/flink run -m <rest address> jar args...} does: Flink's
   * own client ({@code CliFrontend}, the class that script runs) reading this cluster's
   * configuration, in its own process. Returns the client's exit code and output.
   */
  StreammlLauncher.Run flinkRun(Path jar, Duration timeout, List<String> args)
      throws IOException, InterruptedException {
    List<String> cliArgs = new ArrayList<>(List.of("run", "-m", flinkMaster(), jar.toString()));
    cliArgs.addAll(args);
    Path log = logDir.resolve("flink-run.log");
    LoggedJavaProcess client =
        LoggedJavaProcess.start(
            "flink run",
            FlinkSessionConfig.clientJvmFlags(),
            flinkLib,
            CLI_FRONTEND_MAIN,
            cliArgs,
            Map.of("FLINK_CONF_DIR", configDir.toString()),
            log);
    int exitCode = client.awaitExit(timeout);
    return new StreammlLauncher.Run(exitCode, Files.readString(log, StandardCharsets.UTF_8));
  }

  /** What {@code --flinkMaster} takes to submit jobs here. */
  String flinkMaster() {
    return FlinkSessionConfig.HOST + ":" + config.restPort;
  }

  String restUrl() {
    return "http://" + flinkMaster();
  }

  /** GETs a REST API path (e.g. {@code /jobs/overview}) and returns the JSON it answers. */
  JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode());
    }
    return MAPPER.readTree(response.body());
  }

  /**
   * Polls the REST API until {@code count} TaskManagers are registered. Fails with both logs if
   * that takes longer than {@code timeout} or a process exits first.
   */
  void awaitTaskManagers(int count, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    String lastAnswer = "no answer yet";
    while (Instant.now().isBefore(deadline)) {
      if (!jobManager.isAlive() || !taskManager.isAlive()) {
        throw new AssertionError("A Flink process exited while starting:\n" + logTails());
      }
      try {
        JsonNode taskManagers = get("/taskmanagers").get("taskmanagers");
        if (taskManagers != null && taskManagers.size() >= count) {
          return;
        }
        lastAnswer = String.valueOf(taskManagers);
      } catch (IOException e) {
        // The REST endpoint is not listening yet.
        lastAnswer = e.toString();
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    throw new AssertionError(
        count
            + " TaskManager(s) did not register within "
            + timeout
            + " (last answer: "
            + lastAnswer
            + "):\n"
            + logTails());
  }

  /** The ends of both processes' logs, for failure messages. */
  String logTails() {
    return jobManager.tail(TAIL_LINES) + "\n" + taskManager.tail(TAIL_LINES);
  }

  /** Stops the TaskManager, then the JobManager, and waits until both have exited. */
  @Override
  public void close() throws InterruptedException {
    try {
      taskManager.close();
    } finally {
      jobManager.close();
    }
  }
}
