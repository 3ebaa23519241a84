package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataflow without a Google Cloud account: the packaged Dataflow jar translates and validates the
 * demo and writes the job specification to a local file. Nothing is submitted or run.
 */
class DataflowJobSpecIT {

  @TempDir Path dir;

  @Test
  void demoTranslatesToABatchJobSpecificationWithOurSteps() throws Exception {
    Path spec = dir.resolve("demo-job.json");

    StreammlLauncher.Run run =
        StreammlLauncher.run(
            300,
            "demo",
            "--runner=DataflowRunner",
            "--jobSpecFile=" + spec,
            "--project=streamml-it",
            "--region=europe-west1",
            "--output=gs://streamml-it/out");

    assertEquals(0, run.exitCode, run.output);
    assertTrue(run.output.contains("prepared the job without running it"), run.output);
    JsonNode job = new ObjectMapper().readTree(Files.readString(spec));
    assertEquals("JOB_TYPE_BATCH", job.get("type").asText());
    List<String> steps = new ArrayList<>();
    // Step properties are typed values: {"@type": "...Text", "value": "ParseEvents/..."}.
    job.get("steps")
        .forEach(s -> steps.add(s.get("properties").get("user_name").get("value").asText()));
    assertTrue(steps.contains("ParseEvents/ParseAndValidate"), steps.toString());
    assertTrue(steps.stream().anyMatch(s -> s.startsWith("WriteDeadLetters/")), steps.toString());
    assertTrue(
        job.toString().contains("europe-west1") || job.toString().contains("streamml-it"),
        "the job carries the given project/region");
  }

  @Test
  void flagOfAnotherRunnerIsOneClearLine() throws Exception {
    StreammlLauncher.Run run =
        StreammlLauncher.run(
            120, "demo", "--runner=DataflowRunner", "--flinkMaster=localhost:8081");

    assertEquals(2, run.exitCode, run.output);
    assertEquals(1, run.output.strip().lines().count(), run.output);
    assertTrue(run.output.startsWith("streamml demo: unknown option --flinkMaster"), run.output);
  }
}
