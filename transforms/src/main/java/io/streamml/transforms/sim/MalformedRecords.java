package io.streamml.transforms.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamml.schemas.FieldSpec;
import io.streamml.schemas.UseCaseSpec;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Turns a good event's JSON into one of the broken records real feeds carry, chosen from the
 * use-case spec so it works for any use case. Each kind must be refused by parsing or validation.
 */
final class MalformedRecords implements Serializable {

  /** The kinds of damage, each of which a correct ingest stage must dead-letter. */
  enum Kind {
    NOT_JSON,
    TRUNCATED,
    EMPTY,
    MISSING_FIELD,
    WRONG_TYPE,
    BAD_TIMESTAMP,
    OUT_OF_RANGE,
    UNKNOWN_VALUE
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final UseCaseSpec spec;
  private final List<FieldSpec> numeric;
  private final List<FieldSpec> ranged;
  private final List<FieldSpec> enumerated;

  MalformedRecords(UseCaseSpec spec) {
    this.spec = spec;
    this.numeric = filter(spec, f -> f.type().isNumeric());
    this.ranged = filter(spec, f -> f.min() != null);
    this.enumerated = filter(spec, f -> f.allowedValues() != null);
  }

  private static List<FieldSpec> filter(
      UseCaseSpec spec, java.util.function.Predicate<FieldSpec> test) {
    return spec.fields().stream().filter(test).collect(Collectors.toList());
  }

  String corrupt(String json, SplittableRandom random) {
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    return corrupt(json, kind, random);
  }

  String corrupt(String json, Kind kind, SplittableRandom random) {
    switch (kind) {
      case NOT_JSON:
        return "this is not json: " + json.hashCode();
      case TRUNCATED:
        return json.substring(0, json.length() / 2);
      case EMPTY:
        return "";
      default:
        break;
    }
    ObjectNode node = readObject(json);
    switch (kind) {
      case MISSING_FIELD:
        node.remove(spec.keyField());
        break;
      case WRONG_TYPE:
        node.put(pick(numeric, random).name(), "n/a");
        break;
      case BAD_TIMESTAMP:
        node.put(spec.eventTimeField(), "2026-02-30T25:61:00Z");
        break;
      case OUT_OF_RANGE:
        FieldSpec field = pick(ranged, random);
        node.put(field.name(), field.min() - 1000);
        break;
      case UNKNOWN_VALUE:
        node.put(pick(enumerated, random).name(), "unknown_value");
        break;
      default:
        throw new IllegalStateException("Unhandled kind " + kind);
    }
    return node.toString();
  }

  private FieldSpec pick(List<FieldSpec> fields, SplittableRandom random) {
    if (fields.isEmpty()) {
      // The spec has no such field to damage; a missing key is always possible.
      return spec.field(spec.keyField());
    }
    return fields.get(random.nextInt(fields.size()));
  }

  private static ObjectNode readObject(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Simulator produced invalid JSON: " + json, e);
    }
  }
}
