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
  private LoggedJavaProcess taskManager;
  private int taskManagersStarted = 1;
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
   * The Flink jars the pom copies (maven-dependency-plugin), named by {@code flink.cluster.lib}.
   */
  static Path libDir() {
    return java.nio.file.Paths.get(
        java.util.Objects.requireNonNull(
            System.getProperty("flink.cluster.lib"), "system property flink.cluster.lib"));
  }

  /**
   * Starts the JobManager and the TaskManager from the jars in {@code flinkLib}, with their
   * configuration and temporary files under {@code workDir} and their output in {@code logDir}.
   * Returns without waiting for them to be ready: see {@link #awaitTaskManagers}.
   */
  static FlinkSessionCluster start(Path flinkLib, Path workDir, Path logDir)
      throws IOException, InterruptedException {
    return start(flinkLib, workDir, logDir, Map.of());
  }

  /** As above, with {@code settings} (Flink configuration keys) replacing the defaults. */
  static FlinkSessionCluster start(
      Path flinkLib, Path workDir, Path logDir, Map<String, String> settings)
      throws IOException, InterruptedException {
    FlinkSessionConfig config = FlinkSessionConfig.onFreePorts();
    Path configDir = workDir.resolve("conf");
    config.writeTo(configDir, workDir.resolve("tmp"), settings);
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
          startTaskManager(config, flinkLib, configDir, logDir.resolve("taskmanager.log"));
      return new FlinkSessionCluster(config, flinkLib, configDir, logDir, jobManager, taskManager);
    } catch (IOException | RuntimeException e) {
      jobManager.close();
      throw e;
    }
  }

  private static LoggedJavaProcess startTaskManager(
      FlinkSessionConfig config, Path flinkLib, Path configDir, Path log) throws IOException {
    return LoggedJavaProcess.start(
        "taskmanager",
        config.taskManagerJvmFlags(),
        flinkLib,
        TASK_MANAGER_MAIN,
        List.of("--configDir", configDir.toString()),
        log);
  }

  /** Kills the TaskManager process at once (SIGKILL), as a crashed machine ends it. */
  void killTaskManager() throws InterruptedException {
    taskManager.kill();
  }

  /**
   * Starts a new TaskManager in place of a killed one, as a supervisor such as systemd or
   * Kubernetes would. Returns without waiting for it to register.
   */
  void replaceTaskManager() throws IOException {
    if (taskManager.isAlive()) {
      throw new IllegalStateException("The TaskManager is running; kill it first");
    }
    taskManagersStarted++;
    taskManager =
        startTaskManager(
            config,
            flinkLib,
            configDir,
            logDir.resolve("taskmanager-" + taskManagersStarted + ".log"));
  }

  /**
   * True if the job and every one of its tasks are running; a job restarting after a failure is
   * RUNNING before its tasks are, and a savepoint then is refused.
   */
  boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
    JsonNode job = get("/jobs/" + jobId);
    if (!"RUNNING".equals(job.path("state").asText())) {
      return false;
    }
    for (JsonNode vertex : job.get("vertices")) {
      if (!"RUNNING".equals(vertex.path("status").asText())) {
        return false;
      }
    }
    return true;
  }

  /** The id of the one job in state RUNNING, or null if no job is running. */
  String runningJobId() throws IOException, InterruptedException {
    for (JsonNode job : get("/jobs/overview").get("jobs")) {
      if ("RUNNING".equals(job.get("state").asText())) {
        return job.get("jid").asText();
      }
    }
    return null;
  }

  /**
   * Cancels every job that has not ended and waits until none runs, so a failed test leaves the
   * slots free for the next.
   */
  void cancelAllJobs(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      boolean anyLeft = false;
      for (JsonNode job : get("/jobs/overview").get("jobs")) {
        String state = job.get("state").asText();
        if (!List.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
          anyLeft = true;
          if (!"CANCELLING".equals(state)) {
            cancel(job.get("jid").asText());
          }
        }
      }
      if (!anyLeft) {
        return;
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    throw new AssertionError("jobs still running after " + timeout + ":\n" + logTails());
  }

  /** Cancels a job, as {@code flink cancel} does; does nothing for a null id. */
  void cancel(String jobId) throws IOException, InterruptedException {
    if (jobId == null) {
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId + "?mode=cancel"))
            .timeout(Duration.ofSeconds(5))
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .build();
    http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Stops a job with a savepoint in {@code directory}, as {@code flink stop --savepointPath} does,
   * through the REST API, and returns the savepoint's location once it is complete. A savepoint
   * refused because a task is not running yet (a job just restarted) is asked for again.
   */
  String stopWithSavepoint(String jobId, Path directory, Duration timeout)
      throws IOException, InterruptedException {
    String body =
        MAPPER
            .createObjectNode()
            .put("targetDirectory", directory.toUri().toString())
            .put("drain", false)
            .toString();
    Instant deadline = Instant.now().plus(timeout);
    String lastRefusal = "none";
    while (Instant.now().isBefore(deadline)) {
      if (!allTasksRunning(jobId)) {
        Thread.sleep(POLL_INTERVAL.toMillis());
        continue;
      }
      String trigger = post("/jobs/" + jobId + "/stop", body).get("request-id").asText();
      JsonNode operation = awaitSavepoint(jobId, trigger, deadline);
      if (!operation.has("failure-cause")) {
        return operation.get("location").asText();
      }
      String trace = operation.get("failure-cause").path("stack-trace").asText();
      lastRefusal = trace.lines().findFirst().orElse("");
      if (!trace.contains("NOT_ALL_REQUIRED_TASKS_RUNNING")
          && !trace.contains("Not all required tasks are currently running")) {
        throw new AssertionError(
            "the savepoint failed: " + lastRefusal + "\n" + exceptions(jobId) + logTails());
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError(
        "no savepoint within "
            + timeout
            + " (last refusal: "
            + lastRefusal
            + ")\n"
            + exceptions(jobId)
            + logTails());
  }

  private JsonNode awaitSavepoint(String jobId, String trigger, Instant deadline)
      throws IOException, InterruptedException {
    while (Instant.now().isBefore(deadline)) {
      JsonNode answer = get("/jobs/" + jobId + "/savepoints/" + trigger);
      if ("COMPLETED".equals(answer.path("status").path("id").asText())) {
        return answer.get("operation");
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    throw new AssertionError("the savepoint did not complete in time:\n" + logTails());
  }

  /** The job's failures so far (Flink's exception history), one line each, for messages. */
  String exceptions(String jobId) {
    StringBuilder lines = new StringBuilder("--- failures of job " + jobId + " ---\n");
    try {
      JsonNode entries =
          get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
      for (JsonNode entry : entries) {
        lines
            .append(entry.path("taskName").asText("?"))
            .append(": ")
            .append(entry.path("stacktrace").asText("").lines().findFirst().orElse(""))
            .append("\n");
      }
    } catch (IOException | InterruptedException e) {
      lines.append("(not available: ").append(e).append(")\n");
    }
    return lines.toString();
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

  /** POSTs a JSON body to a REST API path and returns the JSON it answers. */
  JsonNode post(String path, String json) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(restUrl() + path))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "POST " + path + " answered " + response.statusCode() + ": " + response.body());
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
