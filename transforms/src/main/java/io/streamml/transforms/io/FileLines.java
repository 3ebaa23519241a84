package io.streamml.transforms.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/** Reads small text files outside a pipeline's data path (reference tables, run summaries). */
public final class FileLines {

  private FileLines() {}

  /**
   * Calls {@code lineConsumer} with every line of every file matching {@code pattern}, on any Beam
   * filesystem; {@code emptyMatch} says whether no match is an error.
   */
  public static void forEachLine(
      String pattern, EmptyMatchTreatment emptyMatch, Consumer<String> lineConsumer)
      throws IOException {
    MatchResult match = FileSystems.match(pattern, emptyMatch);
    for (MatchResult.Metadata file : match.metadata()) {
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(FileSystems.open(file.resourceId())),
                  StandardCharsets.UTF_8))) {
        reader.lines().forEach(lineConsumer);
      }
    }
  }
}
