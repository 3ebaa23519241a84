package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The pipelines' Kafka outputs as JSON, checked for their keys on the way. */
final class TopicJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TopicJson() {}

  /** Every record of {@code topic} as JSON. */
  static List<JsonNode> read(LocalKafkaBroker broker, String topic) {
    return json(broker.readAll(topic));
  }

  /** The values as JSON; a value with a {@code key} field must be keyed by it. */
  static List<JsonNode> json(List<ConsumerRecord<byte[], byte[]>> records) {
    List<JsonNode> nodes = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        JsonNode node = MAPPER.readTree(record.value());
        if (node.has("key")) {
          assertEquals(
              node.get("key").asText(),
              new String(record.key(), StandardCharsets.UTF_8),
              "entity records are keyed by their entity key");
        }
        nodes.add(node);
      } catch (IOException e) {
        throw new AssertionError("an output record is not JSON", e);
      }
    }
    return nodes;
  }

  static Set<String> eventIds(List<JsonNode> rows) {
    return rows.stream().map(f -> f.get("event_id").asText()).collect(Collectors.toSet());
  }

  /** The raw payloads of the dead letters for values that were not UTF-8, sorted. */
  static List<String> notUtf8Payloads(List<JsonNode> deadLetters) {
    return deadLetters.stream()
        .filter(d -> d.get("error").asText().startsWith("Not UTF-8"))
        .map(d -> d.get("raw_payload").asText())
        .sorted()
        .collect(Collectors.toList());
  }
}
