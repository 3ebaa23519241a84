package io.streamml.kafkalocal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one JVM) on the
 * loopback address: formats its storage, starts, creates the topics asked for, prints {@code
 * kafka-local: ready at HOST:PORT}, and runs in the foreground until it is stopped (SIGTERM or
 * Ctrl-C), when Kafka's own shutdown hook stops it cleanly.
 *
 * <p>Flags: {@code --port=N} (default 9092; 0 picks a free one), {@code --controllerPort=N}
 * (default: a free one), {@code --topics=a,b:4} (name, optionally {@code :partitions}), {@code
 * --partitions=N} (default for topics without their own count, 2), {@code --dataDir=PATH} (kept;
 * default a new temporary folder), {@code --verbose} (Kafka's INFO logs), {@code
 * --listener=SASL_SSL://127.0.0.1:9093} (a second listener, named by its security protocol, beside
 * the PLAINTEXT one topics are created through) and {@code --brokerConfig=FILE} (broker settings
 * over the defaults, e.g. that listener's TLS key store and SASL users).
 */
public final class KafkaLocal {

  static final String HOST = "127.0.0.1";

  private KafkaLocal() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = parse(args);
    if (flags.containsKey("help")) {
      System.out.println(
          "Usage: streamml kafka-local [--port=9092] [--topics=a,b:4] [--partitions=2]"
              + " [--dataDir=PATH] [--controllerPort=N] [--listener=SASL_SSL://127.0.0.1:9093]"
              + " [--brokerConfig=FILE] [--verbose]\n\n"
              + "Runs a single-node Apache Kafka broker (KRaft) on "
              + HOST
              + " in the foreground; Ctrl-C stops it.");
      return;
    }
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel", flags.containsKey("verbose") ? "info" : "warn");
    // The topic creator's retries while the broker starts, and a known harmless shutdown warning.
    System.setProperty(
        "org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
    System.setProperty(
        "org.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController", "error");
    int port = intFlag(flags, "port", 9092);
    if (port == 0) {
      port = freePort();
    }
    int controllerPort = intFlag(flags, "controllerPort", 0);
    if (controllerPort == 0) {
      controllerPort = freePort();
    }
    int defaultPartitions = intFlag(flags, "partitions", 2);
    Path dataDir =
        flags.containsKey("dataDir")
            ? Paths.get(flags.get("dataDir")).toAbsolutePath()
            : Files.createTempDirectory("streamml-kafka-");
    Path config =
        writeConfig(
            dataDir,
            port,
            controllerPort,
            defaultPartitions,
            flags.get("listener"),
            flags.containsKey("brokerConfig") ? Paths.get(flags.get("brokerConfig")) : null);
    format(dataDir, config);
    String bootstrap = HOST + ":" + port;
    Map<String, Integer> topics = topics(flags.get("topics"), defaultPartitions);
    Thread creator =
        new Thread(() -> createTopicsThenAnnounce(bootstrap, topics, dataDir), "create-topics");
    creator.setDaemon(true);
    creator.start();
    // Runs the broker on this thread until shutdown; Kafka's hook handles SIGTERM / Ctrl-C.
    kafka.Kafka.main(new String[] {config.toString()});
  }

  private static Path writeConfig(
      Path dataDir,
      int port,
      int controllerPort,
      int partitions,
      String extraListener,
      Path brokerConfig)
      throws IOException {
    Properties props = new Properties();
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", "1");
    props.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    props.setProperty(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    props.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    props.setProperty("controller.listener.names", "CONTROLLER");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.setProperty("log.dirs", dataDir.resolve("logs").toString());
    props.setProperty("num.partitions", Integer.toString(partitions));
    // One node: every internal topic has one replica, and groups start without waiting.
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("offsets.topic.num.partitions", "4");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    props.setProperty("transaction.state.log.num.partitions", "4");
    props.setProperty("group.initial.rebalance.delay.ms", "0");
    props.setProperty("share.coordinator.state.topic.replication.factor", "1");
    if (extraListener != null) {
      String protocol = extraListener.split("://", 2)[0];
      if (!List.of("SSL", "SASL_SSL", "SASL_PLAINTEXT").contains(protocol)) {
        usageError("--listener wants SSL://, SASL_SSL:// or SASL_PLAINTEXT://host:port");
      }
      props.setProperty("listeners", props.getProperty("listeners") + "," + extraListener);
      props.setProperty(
          "advertised.listeners", props.getProperty("advertised.listeners") + "," + extraListener);
      props.setProperty(
          "listener.security.protocol.map",
          props.getProperty("listener.security.protocol.map") + "," + protocol + ":" + protocol);
    }
    if (brokerConfig != null) {
      if (!Files.isReadable(brokerConfig)) {
        usageError("--brokerConfig file not found: " + brokerConfig);
      }
      try (var in = Files.newInputStream(brokerConfig)) {
        props.load(in);
      }
    }
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "streamml kafka-local");
    }
    return file;
  }

  /**
   * Formats the log folder once; a kept {@code --dataDir} is reused as it is (formatting it again
   * would give it a new cluster id, which the broker refuses against its stored one).
   */
  private static void format(Path dataDir, Path config) {
    if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
      return;
    }
    PrintStream quiet =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    int code =
        kafka.tools.StorageTool.execute(
            new String[] {
              "format",
              "-t",
              Uuid.randomUuid().toString(),
              "-c",
              config.toString(),
              "--ignore-formatted"
            },
            quiet);
    if (code != 0) {
      throw new IllegalStateException("Formatting Kafka storage failed (exit " + code + ")");
    }
  }

  private static void createTopicsThenAnnounce(
      String bootstrap, Map<String, Integer> topics, Path dataDir) {
    Properties props = new Properties();
    props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "120000");
    try (Admin admin = Admin.create(props)) {
      // Waits until the broker answers, then creates the topics.
      admin.describeCluster().nodes().get(120, TimeUnit.SECONDS);
      List<NewTopic> newTopics = new ArrayList<>();
      topics.forEach(
          (name, partitions) -> newTopics.add(new NewTopic(name, partitions, (short) 1)));
      for (var result : admin.createTopics(newTopics).values().entrySet()) {
        try {
          result.getValue().get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      System.out.println(
          "kafka-local: ready at "
              + bootstrap
              + " topics "
              + topics
              + " data in "
              + dataDir
              + " (Ctrl-C stops it)");
      System.out.flush();
    } catch (Exception e) {
      System.err.println("kafka-local: the broker did not come up: " + e);
      System.exit(1);
    }
  }

  static Map<String, Integer> topics(String value, int defaultPartitions) {
    Map<String, Integer> topics = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return topics;
    }
    for (String topic : value.split(",")) {
      String[] nameAndCount = topic.trim().split(":", 2);
      topics.put(
          nameAndCount[0],
          nameAndCount.length == 2 ? Integer.parseInt(nameAndCount[1]) : defaultPartitions);
    }
    return topics;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("--help")) {
        flags.put("help", "");
        continue;
      }
      if (!arg.startsWith("--")) {
        usageError("unexpected argument '" + arg + "'");
      }
      String[] nameAndValue = arg.substring(2).split("=", 2);
      if (!List.of(
              "port",
              "controllerPort",
              "topics",
              "partitions",
              "dataDir",
              "verbose",
              "listener",
              "brokerConfig")
          .contains(nameAndValue[0])) {
        usageError("unknown option --" + nameAndValue[0]);
      }
      flags.put(nameAndValue[0], nameAndValue.length == 2 ? nameAndValue[1] : "");
    }
    return flags;
  }

  private static int intFlag(Map<String, String> flags, String name, int defaultValue) {
    String value = flags.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      usageError("--" + name + " wants a number, not '" + value + "'");
      return defaultValue;
    }
  }

  private static void usageError(String message) {
    System.err.println("streamml kafka-local: " + message + " (see 'streamml kafka-local --help')");
    System.exit(2);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }
}
