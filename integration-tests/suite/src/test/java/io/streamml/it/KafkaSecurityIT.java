package io.streamml.it;

import static io.streamml.it.KafkaAccounting.idsNotDeadLettered;
import static io.streamml.it.KafkaAccounting.sortedIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code produce} and {@code score} against a real broker listener that wants TLS and SASL/PLAIN
 * (SASL_SSL, a key made with the JDK's keytool): the settings reach every client through {@code
 * --kafkaPropertiesFile}, the secrets stay in a second file that Kafka's own config provider reads,
 * and no output of the commands shows them. Wrong credentials fail in one line before any data is
 * read.
 */
class KafkaSecurityIT {

  private static final int EVENTS = 300;
  private static final String INPUT = "secure-events";
  private static final String USER = "streamml";

  @TempDir static Path work;
  private static LocalKafkaBroker broker;
  private static String secureBootstrap;
  private static final String USER_PASSWORD = "pw-" + UUID.randomUUID();
  private static final String STORE_PASSWORD = "ks-" + UUID.randomUUID();

  @BeforeAll
  static void startSecuredBrokerAndTrain() throws Exception {
    Path keyStore = work.resolve("broker.p12");
    Path trustStore = work.resolve("truststore.p12");
    makeKeyAndTrustStores(keyStore, trustStore);
    Path brokerConfig =
        privateFile(
            "broker-security.properties",
            "sasl.enabled.mechanisms=PLAIN\n"
                + "listener.name.sasl_ssl.plain.sasl.jaas.config="
                + "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
                + USER
                + "=\""
                + USER_PASSWORD
                + "\";\n"
                + "ssl.keystore.type=PKCS12\n"
                + "ssl.keystore.location="
                + keyStore
                + "\nssl.keystore.password="
                + STORE_PASSWORD
                + "\nssl.key.password="
                + STORE_PASSWORD
                + "\n");
    int securePort = FreePorts.onLoopback(1)[0];
    secureBootstrap = "127.0.0.1:" + securePort;
    broker =
        LocalKafkaBroker.start(
            work,
            List.of("--listener=SASL_SSL://" + secureBootstrap, "--brokerConfig=" + brokerConfig),
            INPUT + ":2",
            "secure-scores",
            "secure-dead");
    StreammlLauncher.trainModel(work.resolve("registry"), work.resolve("train"), 2000, 10);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  /** A PKCS12 key for 127.0.0.1, and a trust store holding its certificate, by keytool. */
  private static void makeKeyAndTrustStores(Path keyStore, Path trustStore) throws Exception {
    Path certificate = work.resolve("broker.crt");
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=IP:127.0.0.1,DNS:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-keypass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "broker",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        certificate.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        certificate.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trustStore.toString(),
        "-storepass",
        STORE_PASSWORD);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool hung");
    assertEquals(0, process.exitValue(), "keytool " + args[0] + ": " + output);
  }

  /** A file only its owner can read, as secrets should be kept. */
  private static Path privateFile(String name, String text) throws IOException {
    Path file = work.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /**
   * The client settings file a user passes: no secret in it, only references that Kafka's
   * FileConfigProvider resolves from {@code secrets}, a second file.
   */
  private static Path clientSettings(String name, String password) throws IOException {
    Path secrets =
        privateFile(
            name + "-secrets.properties",
            "jaas=org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + USER
                + "\" password=\""
                + password
                + "\";\ntruststore="
                + STORE_PASSWORD
                + "\n");
    return privateFile(
        name + ".properties",
        "security.protocol=SASL_SSL\n"
            + "sasl.mechanism=PLAIN\n"
            + "ssl.truststore.type=PKCS12\n"
            + "ssl.truststore.location="
            + work.resolve("truststore.p12")
            + "\nconfig.providers=file\n"
            + "config.providers.file.class="
            + "org.apache.kafka.common.config.provider.FileConfigProvider\n"
            + "sasl.jaas.config=${file:"
            + secrets
            + ":jaas}\n"
            + "ssl.truststore.password=${file:"
            + secrets
            + ":truststore}\n");
  }

  private static List<String> scoreArgs(Path settings) {
    return new ArrayList<>(
        List.of(
            "score",
            "--runner=DirectRunner",
            "--enforceImmutability=false",
            "--stopAtEnd",
            "--bootstrapServers=" + secureBootstrap,
            "--kafkaPropertiesFile=" + settings,
            "--inputTopic=" + INPUT,
            "--consumerGroup=secure",
            "--outputTopicScores=secure-scores",
            "--outputTopicDeadLetters=secure-dead",
            "--output=" + work.resolve("out"),
            "--registry=" + work.resolve("registry")));
  }

  private static void assertNoSecretIn(String output) {
    assertFalse(output.contains(USER_PASSWORD), "the SASL password was printed:\n" + output);
    assertFalse(output.contains(STORE_PASSWORD), "the store password was printed:\n" + output);
  }

  @Test
  void produceAndScoreOverSaslSslAccountForEveryRecordAndPrintNoSecret() throws Exception {
    Path settings = clientSettings("client", USER_PASSWORD);
    StreammlLauncher.Run produce =
        StreammlLauncher.run(
            120,
            "produce",
            "--bootstrapServers=" + secureBootstrap,
            "--kafkaPropertiesFile=" + settings,
            "--topic=" + INPUT,
            "--events=" + EVENTS,
            "--produceMalformedRate=0.05");
    assertEquals(0, produce.exitCode, produce.output);
    assertNoSecretIn(produce.output);

    StreammlLauncher.Run score =
        StreammlLauncher.run(300, scoreArgs(settings).toArray(String[]::new));
    assertEquals(0, score.exitCode, score.output + "\n" + broker.logTail());
    assertNoSecretIn(score.output);

    // Read back through the broker's PLAINTEXT listener.
    assertEquals(EVENTS, broker.readAll(INPUT).size());
    List<JsonNode> scores = TopicJson.read(broker, "secure-scores");
    List<JsonNode> deadLetters = TopicJson.read(broker, "secure-dead");
    assertEquals(idsNotDeadLettered(broker, INPUT, deadLetters), sortedIds(scores));
    assertEquals(EVENTS, scores.size() + deadLetters.size(), "in = scores + dead letters");
    assertTrue(scores.size() > EVENTS / 2 && !deadLetters.isEmpty(), "both kinds were sent");
  }

  @Test
  void aWrongPasswordIsOneLineWithoutTheSecret() throws Exception {
    String wrong = "wrong-" + UUID.randomUUID();
    StreammlLauncher.Run score =
        StreammlLauncher.run(180, scoreArgs(clientSettings("wrong", wrong)).toArray(String[]::new));
    assertEquals(2, score.exitCode, score.output);
    assertTrue(
        score.output.contains("refused this client (SaslAuthenticationException"), score.output);
    assertTrue(score.output.contains("--kafkaPropertiesFile"), score.output);
    assertFalse(score.output.contains(wrong), score.output);
    assertNoSecretIn(score.output);
    assertFalse(score.output.contains("\tat "), "a stack trace:\n" + score.output);
  }
}
