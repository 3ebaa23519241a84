package io.streamml.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on loopback: a master and one worker, each in its own JVM started from
 * a Spark home's {@code jars/} as Spark's {@code sbin/start-master.sh} and {@code
 * sbin/start-worker.sh} would, and the executors the worker launches for each application.
 *
 * <p>Everything it writes stays in its folder for reading after a failure: {@code master.log},
 * {@code worker.log} and each executor's {@code work/<app id>/<executor id>/stderr}.
 */
final class SparkStandaloneCluster implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int TAIL_LINES = 30;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path sparkHome;
  private final Path folder;
  private final List<String> jvmFlags;
  private final int masterPort = FreePorts.next();
  private final URI masterStatus = statusUri(FreePorts.next());
  private final int workerWebUiPort = FreePorts.next();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process master;
  private Process worker;

  private SparkStandaloneCluster(Path sparkHome, Path folder, List<String> jvmFlags) {
    this.sparkHome = sparkHome;
    this.folder = folder;
    this.jvmFlags = jvmFlags;
  }

  /**
   * Starts a master, then a worker with 2 cores and 2 GiB for executors, and returns once the
   * master reports the worker alive. {@code folder} is emptied first; {@code jvmFlags} are added to
   * the master's and the worker's JVMs (Spark adds its own to executors).
   */
  static SparkStandaloneCluster start(Path sparkHome, Path folder, List<String> jvmFlags)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(sparkHome.resolve("jars"))) {
      throw new IllegalArgumentException("No Spark jars in " + sparkHome.resolve("jars"));
    }
    deleteRecursively(folder);
    Files.createDirectories(folder);
    SparkStandaloneCluster cluster = new SparkStandaloneCluster(sparkHome, folder, jvmFlags);
    try {
      cluster.startMasterAndWorker();
      return cluster;
    } catch (Throwable e) {
      cluster.close();
      throw e;
    }
  }

  private void startMasterAndWorker() throws IOException, InterruptedException {
    master =
        startDaemon(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host",
            HOST,
            "--port",
            String.valueOf(masterPort),
            "--webui-port",
            String.valueOf(masterStatus.getPort()));
    awaitMaster(
        "the master to be elected", status -> "ALIVE".equals(status.path("status").asText()));
    // Started only now: a worker that finds no master backs off for 5 to 15 s before retrying.
    worker =
        startDaemon(
            "worker",
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            HOST,
            "--cores",
            "2",
            "--memory",
            "2g",
            "--webui-port",
            String.valueOf(workerWebUiPort),
            "--work-dir",
            workDir().toString(),
            masterUrl());
    awaitMaster("the worker to register", status -> status.path("aliveworkers").asInt() == 1);
  }

  private Process startDaemon(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    // Spark's scripts give daemons 1 GiB (SPARK_DAEMON_MEMORY); a test cluster's need far less.
    command.add("-Xmx512m");
    command.addAll(TestJvmFlags.FLAGS);
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(sparkHome.resolve("jars").toString() + "/*");
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve(name + ".log").toFile());
    Map<String, String> environment = builder.environment();
    // The worker builds each executor's command from SPARK_HOME/jars; without the Scala version
    // it looks for a source build's folders and fails with "Cannot find any build directories".
    environment.put("SPARK_HOME", sparkHome.toString());
    environment.put("SPARK_SCALA_VERSION", "2.12");
    // Binds master, worker and (inherited) executors to loopback, whatever the host name says.
    environment.put("SPARK_LOCAL_IP", HOST);
    return builder.start();
  }

  /** Where a driver submits applications: {@code spark://127.0.0.1:<port>}. */
  String masterUrl() {
    return "spark://" + HOST + ":" + masterPort;
  }

  /** The worker's folder for executors: {@code <app id>/<executor id>/} with their logs. */
  Path workDir() {
    return folder.resolve("work");
  }

  /**
   * Polls the master's JSON status ({@code /json/}: workers, active and completed apps) until
   * {@code condition} holds, and returns it; fails with the cluster's logs after a minute.
   */
  JsonNode awaitMaster(String what, Predicate<JsonNode> condition) throws InterruptedException {
    return await(what, masterStatus, condition);
  }

  /** As {@link #awaitMaster}, for the worker's JSON status (running and finished executors). */
  JsonNode awaitWorker(String what, Predicate<JsonNode> condition) throws InterruptedException {
    return await(what, statusUri(workerWebUiPort), condition);
  }

  private JsonNode await(String what, URI status, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + AWAIT_TIMEOUT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      assertRunning();
      last = fetch(status);
      if (last != null && condition.test(last)) {
        return last;
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    throw new AssertionError(
        "Spark standalone: timed out after "
            + AWAIT_TIMEOUT.toSeconds()
            + " s waiting for "
            + what
            + "; last "
            + status
            + ": "
            + last
            + "\n"
            + logTails());
  }

  private void assertRunning() {
    for (Process daemon : new Process[] {master, worker}) {
      if (daemon != null && !daemon.isAlive()) {
        throw new AssertionError(
            "Spark standalone: a daemon exited with code "
                + daemon.exitValue()
                + "\n"
                + logTails());
      }
    }
  }

  /** The status, or null while the web UI does not answer yet. */
  private JsonNode fetch(URI status) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? MAPPER.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The last lines of every log the cluster wrote, for failure messages. */
  String logTails() {
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(f -> f.toString().endsWith(".log") || f.getFileName().toString().equals("stderr"))
          .sorted()
          .map(SparkStandaloneCluster::tail)
          .collect(Collectors.joining());
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read the logs in " + folder + ": " + e + ")";
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines =
          new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
              .lines()
              .collect(Collectors.toList());
      return "==> "
          + log
          + " <==\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()))
          + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the worker (which stops its executors), then the master, and waits for them to exit. */
  @Override
  public void close() {
    try {
      stop(worker);
      stop(master);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGTERM first, so Spark's shutdown hooks stop executors and delete their temp folders; SIGKILL
   * for whatever of the process tree is still running after {@link #STOP_TIMEOUT}.
   */
  private static void stop(Process process) throws InterruptedException {
    if (process == null) {
      return;
    }
    // Listed before the parent dies: orphaned children are no longer its descendants.
    List<ProcessHandle> tree =
        process.descendants().collect(Collectors.toCollection(ArrayList::new));
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        handle.destroyForcibly();
      }
    }
    process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static URI statusUri(int webUiPort) {
    return URI.create("http://" + HOST + ":" + webUiPort + "/json/");
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(path);
      }
    }
  }
}
