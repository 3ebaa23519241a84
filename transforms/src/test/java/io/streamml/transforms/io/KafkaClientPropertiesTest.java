package io.streamml.transforms.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Kafka client settings from a file and inline pairs, refused clashes, and hidden secrets. */
@RunWith(JUnit4.class)
public class KafkaClientPropertiesTest {

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void inlinePairsWinOverTheFile() throws Exception {
    Path file = folder.newFile("client.properties").toPath();
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nrequest.timeout.ms=30000\n",
        StandardCharsets.UTF_8);
    Map<String, String> settings =
        KafkaClientProperties.read(
            file.toString(), List.of("request.timeout.ms=90000", "client.id=a=b"));
    assertEquals("SASL_SSL", settings.get("security.protocol"));
    assertEquals("PLAIN", settings.get("sasl.mechanism"));
    assertEquals("90000", settings.get("request.timeout.ms"));
    // Only the first '=' separates: values may hold more.
    assertEquals("a=b", settings.get("client.id"));
  }

  @Test
  public void neitherFlagIsNoSettings() {
    assertTrue(KafkaClientProperties.read(null, null).isEmpty());
  }

  @Test
  public void aMissingFileOrAPairWithoutKeyIsOneClearError() {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> KafkaClientProperties.read("/no/such/client.properties", null));
    assertEquals(
        "Kafka properties file /no/such/client.properties does not exist", missing.getMessage());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> KafkaClientProperties.read(null, List.of("security.protocol")));
    assertTrue(bad.getMessage(), bad.getMessage().contains("'security.protocol' is not key=value"));
    assertThrows(
        IllegalArgumentException.class, () -> KafkaClientProperties.read(null, List.of("=x")));
  }

  @Test
  public void settingsTheCallerOwnsAreRefusedByName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KafkaClientProperties.checkNotOwned(
                    Map.of("group.id", "g", "security.protocol", "SSL"),
                    List.of("group.id", "bootstrap.servers")));
    assertTrue(e.getMessage(), e.getMessage().startsWith("Kafka properties [group.id] are set"));
  }

  @Test
  public void secretsArePrintedHidden() {
    String shown =
        KafkaClientProperties.redacted(
            Map.of(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"u\" password=\"hunter2\";",
                "ssl.keystore.password",
                "hunter2",
                "ssl.key.password",
                "hunter2",
                "security.protocol",
                "SASL_SSL"));
    assertFalse(shown, shown.contains("hunter2"));
    assertTrue(shown, shown.contains("security.protocol=SASL_SSL"));
    assertTrue(shown, shown.contains("sasl.jaas.config=[hidden]"));
  }
}
