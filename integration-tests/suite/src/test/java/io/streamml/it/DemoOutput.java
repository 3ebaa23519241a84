package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What a {@code streamml demo} run printed and wrote, in forms that compare across runners. */
final class DemoOutput {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DemoOutput() {}

  /** The number printed beside {@code label} in the demo summary. */
  static long summaryCount(String printed, String label) {
    Matcher count =
        Pattern.compile("(?m)^\\s*" + Pattern.quote(label) + "\\s+(\\d+)").matcher(printed);
    if (!count.find()) {
      throw new AssertionError("no '" + label + "' count in the summary:\n" + printed);
    }
    return Long.parseLong(count.group(1));
  }

  /**
   * The summary's count lines ("read N events N dead letters N"), after checking that the demo read
   * {@code expectedRead} records and that events and dead letters account for all of them.
   */
  static String counts(String printed, long expectedRead) {
    Matcher read = Pattern.compile("read\\s+(\\d+)").matcher(printed);
    Matcher events = Pattern.compile("events\\s+(\\d+)").matcher(printed);
    Matcher dead = Pattern.compile("dead letters\\s+(\\d+)").matcher(printed);
    assertTrue(read.find() && events.find() && dead.find(), printed);
    assertEquals(expectedRead, Long.parseLong(read.group(1)), printed);
    assertEquals(
        expectedRead, Long.parseLong(events.group(1)) + Long.parseLong(dead.group(1)), printed);
    return read.group() + " " + events.group() + " " + dead.group();
  }

  /** Every line of the events files under the demo's {@code --output}, sorted. */
  static List<String> sortedEvents(Path output) throws IOException {
    return sortedLines(output.resolve("events"));
  }

  /**
   * Every dead letter under the demo's {@code --output}, sorted, without its processing time (which
   * differs from run to run).
   */
  static List<String> sortedDeadLetters(Path output) throws IOException {
    return sortedLines(output.resolve("dead-letters")).stream()
        .map(DemoOutput::withoutProcessingTime)
        .sorted()
        .collect(Collectors.toList());
  }

  static List<String> sortedLines(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".jsonl"))
          .flatMap(DemoOutput::lines)
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static Stream<String> lines(Path file) {
    try {
      return Files.readAllLines(file).stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String withoutProcessingTime(String deadLetter) {
    try {
      ObjectNode node = (ObjectNode) MAPPER.readTree(deadLetter);
      node.remove("processing_time");
      return node.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
