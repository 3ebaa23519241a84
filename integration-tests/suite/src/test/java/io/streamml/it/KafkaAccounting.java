package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Accounts for every record of a score job's input topic: a dead letter carries its payload, or its
 * event is scored. Shared by the Kafka fault and score ITs.
 */
final class KafkaAccounting {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String DEDUPE = "dedupe";

  private KafkaAccounting() {}

  /** Every record's payload, as the pipelines see it (non-UTF-8 bytes as base64:...). */
  static List<String> inputPayloads(LocalKafkaBroker broker, String topic) {
    List<String> payloads = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : broker.readAll(topic)) {
      payloads.add(KafkaEvents.payload(record.value()));
    }
    return payloads;
  }

  /**
   * The event ids of the input records no dead letter accounts for (sorted, repeats kept), after
   * checking that each dead letter carries an input payload and a reason. Letters of repeated ids
   * ({@code dedupe}: a record read again, e.g. after a restore) account for no input record of
   * their own and are left out: see {@link #repeatedIdLetters}.
   */
  static List<String> idsNotDeadLettered(
      LocalKafkaBroker broker, String topic, List<JsonNode> deadLetters) throws Exception {
    Map<String, Integer> left = new HashMap<>();
    inputPayloads(broker, topic).forEach(p -> left.merge(p, 1, Integer::sum));
    for (JsonNode dead : deadLetters) {
      if (DEDUPE.equals(dead.get("stage").asText())) {
        continue;
      }
      String payload = dead.get("raw_payload").asText();
      assertTrue(left.getOrDefault(payload, 0) > 0, "a dead letter for no input record: " + dead);
      left.merge(payload, -1, Integer::sum);
      assertTrue(dead.get("error").asText().length() > 0, dead.toString());
      assertTrue(Set.of("parse", "validate").contains(dead.get("stage").asText()), dead.toString());
      assertEquals("kafka:" + topic, dead.get("source").asText(), dead.toString());
    }
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, Integer> entry : left.entrySet()) {
      if (entry.getValue() == 0) {
        continue;
      }
      // Scores carry the event's id field (the fraud spec's transaction_id) as event_id.
      JsonNode id = MAPPER.readTree(entry.getKey()).get("transaction_id");
      assertTrue(id != null, "an input record without an id and no dead letter: " + entry.getKey());
      String eventId = id.asText();
      for (int i = 0; i < entry.getValue(); i++) {
        ids.add(eventId);
      }
    }
    return ids.stream().sorted().collect(Collectors.toList());
  }

  /** The letters of records whose event id was let through already (stage dedupe). */
  static List<JsonNode> repeatedIdLetters(List<JsonNode> deadLetters) {
    return deadLetters.stream()
        .filter(d -> DEDUPE.equals(d.get("stage").asText()))
        .collect(Collectors.toList());
  }

  /** The rows' event ids, sorted, repeats kept. */
  static List<String> sortedIds(List<JsonNode> rows) {
    return rows.stream().map(r -> r.get("event_id").asText()).sorted().collect(Collectors.toList());
  }

  /** The raw payloads the dead letters carry. */
  static Set<String> payloads(List<JsonNode> deadLetters) {
    return deadLetters.stream()
        .map(d -> d.get("raw_payload").asText())
        .collect(Collectors.toCollection(HashSet::new));
  }
}
