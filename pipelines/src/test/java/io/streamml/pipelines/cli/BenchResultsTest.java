package io.streamml.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real {@code bench-features} run, twice, with its results appended as JSON lines and CSV: the
 * ratios of both runs, their median, the flags and the machine. (No timing is asserted: the ratios
 * are only checked to be positive.)
 */
class BenchResultsTest {

  @Test
  void repeatsAreRecordedWithTheirMedianFlagsAndMachine(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String results = dir.resolve("results/bench").toString();
    int exit =
        StreammlCli.run(
            new String[] {
              "bench-features",
              "--events=300",
              "--repeats=2",
              "--resultsFile=" + results,
              "--enforceImmutability=false"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, printed + err.toString(StandardCharsets.UTF_8));
    assertTrue(printed.contains("bench-features: median ratio"), printed);

    List<String> json = Files.readAllLines(Path.of(results + ".jsonl"));
    assertEquals(1, json.size(), json.toString());
    JsonNode run = new ObjectMapper().readTree(json.get(0));
    assertEquals("bench-features", run.get("benchmark").asText());
    assertEquals("DirectRunner", run.get("runner").asText());
    assertEquals(2, run.get("ratios").size());
    double a = run.get("ratios").get(0).asDouble();
    double b = run.get("ratios").get(1).asDouble();
    assertTrue(a > 0 && b > 0, run.toString());
    assertEquals((a + b) / 2, run.get("median_ratio").asDouble(), 1e-12);
    assertTrue(run.get("flags").asText().contains("events=300"), run.toString());
    assertEquals(Runtime.getRuntime().availableProcessors(), run.get("cores").asInt());

    List<String> csv = Files.readAllLines(Path.of(results + ".csv"));
    assertEquals(2, csv.size(), csv.toString());
    assertTrue(
        csv.get(0).startsWith("time,benchmark,runner,flags,repeats,median_ratio"), csv.get(0));
    assertTrue(csv.get(1).contains(",bench-features,DirectRunner,"), csv.get(1));
  }

  @Test
  void theEndToEndBenchmarkScoresEveryEventAndComparesWithItsLoop() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        StreammlCli.run(
            new String[] {
              "bench-pipeline", "--events=500", "--trees=5", "--enforceImmutability=false"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, printed);
    // Both sides scored all 500 events (the command fails if the pipeline's count differs).
    assertTrue(printed.matches("(?s).*plain Java loop \\(1 thread\\)\\s+500 .*"), printed);
    assertTrue(printed.matches("(?s).*pipeline on DirectRunner\\s+500 .*"), printed);
    assertTrue(printed.contains("pipeline / loop: "), printed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bench-latency", "bench-saturation"})
  void theStreamBenchmarksNeedABrokerAndMakeTheirOwnTopics(String command) {
    assertEquals(
        "streamml " + command + ": " + command + " needs --bootstrapServers=HOST:PORT",
        refusal(command));
    assertEquals(
        "streamml "
            + command
            + ": "
            + command
            + " creates its own topics; drop --inputTopic and --outputTopicScores",
        refusal(command, "--bootstrapServers=127.0.0.1:1", "--inputTopic=mine"));
  }

  @Test
  void theSaturationBenchmarkRefusesATooSmallBacklogBeforeWritingAnything() {
    assertEquals(
        "streamml bench-saturation: bench-saturation needs --backlogEvents of 100 or more and"
            + " --timeoutSeconds above 0",
        refusal("bench-saturation", "--bootstrapServers=127.0.0.1:1", "--backlogEvents=10"));
  }

  /** What the command printed to stderr when it refused the flags (exit code 2). */
  private static String refusal(String command, String... flags) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    String[] args = new String[flags.length + 1];
    args[0] = command;
    System.arraycopy(flags, 0, args, 1, flags.length);
    assertEquals(2, StreammlCli.run(args, out, errors));
    return err.toString(StandardCharsets.UTF_8).strip();
  }
}
