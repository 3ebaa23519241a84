package io.streamml.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptions;

/** The flags a benchmark ran with, as {@code name=value ...}, recorded beside its figures. */
public final class BenchFlags {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  // Set on every run by Beam itself; they say nothing about what was measured.
  private static final List<String> NOISE =
      List.of(
          "appName",
          "optionsId",
          "jobName",
          "userAgent",
          "stableUniqueNames",
          "resultsFile",
          "repeats");

  private BenchFlags() {}

  public static String of(PipelineOptions options) {
    Map<String, String> flags = new TreeMap<>();
    try {
      JsonNode set = MAPPER.valueToTree(options).path("options");
      if (set instanceof ObjectNode) {
        set.fields()
            .forEachRemaining(
                e -> {
                  if (!NOISE.contains(e.getKey())) {
                    flags.put(
                        e.getKey(),
                        e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
                  }
                });
      }
    } catch (IllegalArgumentException e) {
      return "runner=" + options.getRunner().getSimpleName();
    }
    StringBuilder text = new StringBuilder();
    flags.forEach(
        (k, v) -> text.append(text.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return text.toString();
  }
}
