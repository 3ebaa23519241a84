package io.streamml.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The configuration of a small Flink 1.19 session cluster on the loopback address: one JobManager
 * (~768 MiB) and one TaskManager (~1.7 GiB, 2 slots), every port picked free at start. It writes
 * the {@code config.yaml} both processes read, and the JVM flags that match its memory sizes.
 */
final class FlinkSessionConfig {

  static final String HOST = "127.0.0.1";
  static final int TASK_SLOTS = 2;

  /** Module access Flink (Kryo, Netty, reflection on JDK types) needs on Java 17. */
  private static final List<String> JAVA_17_OPENS =
      List.of(
          "java.lang",
          "java.util",
          "java.nio",
          "sun.nio.ch",
          "java.lang.reflect",
          "java.time",
          "java.text",
          "java.util.concurrent");

  // JobManager memory in MiB: 384 heap + 128 direct + 192 metaspace + 64 overhead = 768.
  private static final int JM_HEAP = 384;
  private static final int JM_OFF_HEAP = 128;
  private static final int JM_METASPACE = 192;
  private static final int JM_OVERHEAD = 64;

  // TaskManager memory in MiB. Flink's start scripts derive every component from one total and
  // pass them all to the JVM; TaskManagerRunner started directly refuses to start unless each is
  // set explicitly, so they are spelled out here, and the JVM flags below are computed from them.
  private static final int TM_FRAMEWORK_HEAP = 128;
  private static final int TM_TASK_HEAP = 384;
  private static final int TM_FRAMEWORK_OFF_HEAP = 128;
  private static final int TM_TASK_OFF_HEAP = 0;
  // The demo's batch job (features, scores, alerts, archive) shuffles many times, and each
  // exchange of each of the 2 slots needs its own buffers.
  private static final int TM_NETWORK = 640;
  private static final int TM_MANAGED = 128;
  private static final int TM_METASPACE = 256;
  private static final int TM_OVERHEAD = 192;

  final int rpcPort;
  final int restPort;
  final int blobPort;
  final int taskManagerRpcPort;
  final int taskManagerDataPort;

  private FlinkSessionConfig(int[] ports) {
    this.rpcPort = ports[0];
    this.restPort = ports[1];
    this.blobPort = ports[2];
    this.taskManagerRpcPort = ports[3];
    this.taskManagerDataPort = ports[4];
  }

  static FlinkSessionConfig onFreePorts() throws IOException {
    return new FlinkSessionConfig(FreePorts.onLoopback(5));
  }

  /**
   * Settings for fault tests: a failed job is restarted from its last checkpoint instead of failed
   * at once, and a killed TaskManager is noticed within seconds (Flink's default waits 50 s).
   */
  static final Map<String, String> RESTART_FAILED_JOBS =
      Map.of(
          "restart-strategy.type", "fixed-delay",
          "restart-strategy.fixed-delay.attempts", "30",
          "restart-strategy.fixed-delay.delay", "2 s",
          "heartbeat.interval", "1000",
          "heartbeat.timeout", "6000");

  /**
   * Writes {@code configDir/config.yaml}, with {@code overrides} replacing the defaults; the
   * processes keep their temporary files in tmpDir.
   */
  void writeTo(Path configDir, Path tmpDir, Map<String, String> overrides) throws IOException {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("jobmanager.rpc.address", HOST);
    conf.put("jobmanager.rpc.port", String.valueOf(rpcPort));
    conf.put("jobmanager.bind-host", HOST);
    conf.put("rest.address", HOST);
    conf.put("rest.bind-address", HOST);
    conf.put("rest.port", String.valueOf(restPort));
    conf.put("blob.server.port", String.valueOf(blobPort));
    conf.put("taskmanager.host", HOST);
    conf.put("taskmanager.bind-host", HOST);
    conf.put("taskmanager.rpc.port", String.valueOf(taskManagerRpcPort));
    conf.put("taskmanager.data.port", String.valueOf(taskManagerDataPort));
    conf.put("taskmanager.numberOfTaskSlots", String.valueOf(TASK_SLOTS));
    conf.put("parallelism.default", String.valueOf(TASK_SLOTS));
    // A failing test job should fail the run at once, not be retried until the launcher times out.
    conf.put("restart-strategy.type", "none");
    conf.put("io.tmp.dirs", tmpDir.toString());
    conf.put("blob.storage.directory", tmpDir.resolve("blobs").toString());
    conf.put("web.tmpdir", tmpDir.resolve("web").toString());
    conf.put(
        "jobmanager.memory.process.size", mib(JM_HEAP + JM_OFF_HEAP + JM_METASPACE + JM_OVERHEAD));
    conf.put("taskmanager.cpu.cores", String.valueOf(TASK_SLOTS));
    conf.put("taskmanager.memory.framework.heap.size", mib(TM_FRAMEWORK_HEAP));
    conf.put("taskmanager.memory.task.heap.size", mib(TM_TASK_HEAP));
    conf.put("taskmanager.memory.framework.off-heap.size", mib(TM_FRAMEWORK_OFF_HEAP));
    conf.put("taskmanager.memory.task.off-heap.size", mib(TM_TASK_OFF_HEAP));
    conf.put("taskmanager.memory.network.min", mib(TM_NETWORK));
    conf.put("taskmanager.memory.network.max", mib(TM_NETWORK));
    conf.put("taskmanager.memory.managed.size", mib(TM_MANAGED));
    conf.put("taskmanager.memory.jvm-metaspace.size", mib(TM_METASPACE));
    conf.put("taskmanager.memory.jvm-overhead.min", mib(TM_OVERHEAD));
    conf.put("taskmanager.memory.jvm-overhead.max", mib(TM_OVERHEAD));
    conf.putAll(overrides);
    Files.createDirectories(configDir);
    Files.createDirectories(tmpDir);
    Files.writeString(
        configDir.resolve("config.yaml"),
        conf.entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue() + "\n")
            .collect(Collectors.joining()),
        StandardCharsets.UTF_8);
  }

  List<String> jobManagerJvmFlags() {
    return jvmFlags(JM_HEAP, JM_OFF_HEAP, JM_METASPACE);
  }

  /**
   * The heap, direct memory and metaspace limits Flink's scripts would set for this TaskManager.
   */
  List<String> taskManagerJvmFlags() {
    return jvmFlags(
        TM_FRAMEWORK_HEAP + TM_TASK_HEAP,
        TM_FRAMEWORK_OFF_HEAP + TM_TASK_OFF_HEAP + TM_NETWORK,
        TM_METASPACE);
  }

  /** The flags {@code bin/flink} would give its client JVM, which runs the job's main(). */
  static List<String> clientJvmFlags() {
    return jvmFlags(768, 256, 256);
  }

  private static List<String> jvmFlags(int heap, int direct, int metaspace) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "-Xms" + heap + "m",
                "-Xmx" + heap + "m",
                "-XX:MaxDirectMemorySize=" + direct + "m",
                "-XX:MaxMetaspaceSize=" + metaspace + "m"));
    JAVA_17_OPENS.forEach(p -> flags.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
    return flags;
  }

  private static String mib(int size) {
    return size + "m";
  }
}
