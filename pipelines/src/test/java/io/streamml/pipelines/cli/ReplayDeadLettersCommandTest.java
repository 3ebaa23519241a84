package io.streamml.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpecs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead letters replayed with a fixed spec: what the fix allows comes back as events, once per id,
 * and a second replay writes exactly the same files.
 */
class ReplayDeadLettersCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return StreammlCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** The fraud spec, fixed to accept the 'wallet' channel it refused. */
  private Path fixedSpec() throws IOException {
    ObjectNode spec =
        (ObjectNode) JSON.readTree(UseCaseSpecs.toJson(UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD)));
    for (JsonNode field : spec.get("fields")) {
      if (field.get("name").asText().equals("channel")) {
        ((ArrayNode) field.get("allowedValues")).add("wallet");
      }
    }
    Path file = dir.resolve("fixed.json");
    Files.writeString(file, spec.toString());
    return file;
  }

  private static String letter(String stage, String payload, String error) {
    return RowJsonCodec.of(DeadLetter.SCHEMA)
        .toJson(
            DeadLetter.of(
                "file:events.jsonl",
                stage,
                payload,
                error,
                null,
                Instant.parse("2026-01-01T01:00:00Z")));
  }

  private static List<String> sortedLines(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.sorted().collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    lines.sort(null);
    return lines;
  }

  @Test
  void lettersTheFixAllowsComeBackOncePerIdAndASecondReplayWritesTheSame() throws Exception {
    Path generated = dir.resolve("generated");
    assertEquals(
        0,
        run("generate", "--events=300", "--output=" + generated),
        err.toString(StandardCharsets.UTF_8));
    List<String> events = sortedLines(generated.resolve("fraud"));
    // A spec without the 'wallet' channel refused 40 payments and some junk; a rerun refused the
    // same records again, so every letter is in the file twice.
    List<String> letters = new ArrayList<>();
    for (String event : events.subList(0, 40)) {
      letters.add(
          letter(
              "validate",
              event.replaceAll("\"channel\":\"[a-z]+\"", "\"channel\":\"wallet\""),
              "Field 'channel' is 'wallet', not one of [pos, online, atm]"));
    }
    for (int i = 0; i < 10; i++) {
      letters.add(letter("parse", "{\"transaction_id\": \"junk-" + i, "Unexpected end-of-input"));
    }
    letters.add(letter("score", "{\"key\": \"card-1\"}", "no model"));
    List<String> twice = new ArrayList<>(letters);
    twice.addAll(letters);
    Path file = dir.resolve("dead-letters.jsonl");
    Files.write(file, twice);

    Path replayed = dir.resolve("replayed");
    String[] replay = {
      "replay-dead-letters",
      "--deadLetters=" + file,
      "--useCaseSpec=" + fixedSpec(),
      "--output=" + replayed
    };
    assertEquals(0, run(replay), err.toString(StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);

    List<String> replayedEvents = sortedLines(replayed.resolve("replay/events"));
    assertEquals(40, replayedEvents.size(), printed);
    assertEquals(
        40,
        replayedEvents.stream()
            .map(e -> e.replaceAll(".*\"transaction_id\":\"([^\"]+)\".*", "$1"))
            .distinct()
            .count(),
        "one event per id");
    assertTrue(replayedEvents.stream().allMatch(e -> e.contains("\"wallet\"")), printed);
    assertEquals(40, sortedLines(replayed.resolve("replay/duplicates")).size(), printed);
    assertEquals(20, sortedLines(replayed.resolve("replay/dead-letters")).size(), printed);
    assertEquals(2, sortedLines(replayed.resolve("replay/not-replayable")).size(), printed);
    assertTrue(printed.contains("102 letters from"), printed);

    assertEquals(0, run(replay), err.toString(StandardCharsets.UTF_8));
    assertEquals(replayedEvents, sortedLines(replayed.resolve("replay/events")), "idempotent");
  }

  @Test
  void missingDeadLetterFilesAreOneLine() {
    assertEquals(2, run("replay-dead-letters", "--deadLetters=" + dir.resolve("nope/*.jsonl")));
    String message = err.toString(StandardCharsets.UTF_8).strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.contains("No files match --deadLetters="), message);
  }
}
