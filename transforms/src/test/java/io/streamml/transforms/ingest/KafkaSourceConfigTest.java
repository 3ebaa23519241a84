package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Client settings pass through to the consumer; the ones the source owns stay its own. */
@RunWith(JUnit4.class)
public class KafkaSourceConfigTest {

  private static KafkaSourceConfig config() {
    return KafkaSourceConfig.of("127.0.0.1:9092", List.of("events"), "event_time")
        .withConsumerGroup("scoring");
  }

  @Test
  public void clientSettingsReachTheConsumerBesideTheSourcesOwn() {
    Map<String, Object> consumer =
        ReadEvents.consumerConfig(
            config()
                .withClientProperties(
                    Map.of("security.protocol", "SSL", "default.api.timeout.ms", "120000")));
    assertEquals("SSL", consumer.get("security.protocol"));
    assertEquals("120000", consumer.get("default.api.timeout.ms"));
    assertEquals(false, consumer.get("enable.auto.commit"));
    assertEquals("scoring", consumer.get("group.id"));
  }

  @Test
  public void settingsTheSourceOwnsAreRefused() {
    for (String owned : KafkaSourceConfig.OWNED_CONSUMER_SETTINGS) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> config().withClientProperties(Map.of(owned, "x")));
      assertTrue(e.getMessage(), e.getMessage().contains("[" + owned + "]"));
    }
  }

  @Test
  public void theSettingsSurviveTheOtherWithMethods() {
    KafkaSourceConfig config =
        config()
            .withClientProperties(Map.of("security.protocol", "SSL"))
            .withStopAtEnd(true)
            .withConsumerGroup("other");
    assertEquals(Map.of("security.protocol", "SSL"), config.clientProperties());
  }
}
