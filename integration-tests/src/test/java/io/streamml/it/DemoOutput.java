package io.streamml.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads what a demo run printed and wrote, the same way whichever runner ran it. */
final class DemoOutput {

  private DemoOutput() {}

  /** The count the printed summary shows on the line for {@code label} (read, events, ...). */
  static long summaryCount(String printed, String label) {
    Matcher count =
        Pattern.compile("(?m)^\\s*" + Pattern.quote(label) + "\\s+(\\d+)").matcher(printed);
    if (!count.find()) {
      throw new AssertionError("no '" + label + "' count in the summary:\n" + printed);
    }
    return Long.parseLong(count.group(1));
  }

  /**
   * Every line of the {@code .jsonl} files in {@code folder}, sorted: runners shard and order
   * differently.
   */
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
}
