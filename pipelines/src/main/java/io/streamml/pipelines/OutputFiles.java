package io.streamml.pipelines;

import io.streamml.transforms.io.FileLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/** Small file chores around a pipeline run, on any Beam filesystem. */
public final class OutputFiles {

  private OutputFiles() {}

  /** {@code folder/name}, whether or not {@code folder} ends with a slash. */
  public static String join(String folder, String name) {
    return folder.endsWith("/") ? folder + name : folder + "/" + name;
  }

  /** Deletes the files a previous run left under this prefix, so counts are of this run only. */
  public static void deleteMatching(String pattern) {
    try {
      MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      List<ResourceId> files = new ArrayList<>();
      match.metadata().forEach(m -> files.add(m.resourceId()));
      FileSystems.delete(files, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clear old output " + pattern, e);
    }
  }

  /** Calls {@code lineConsumer} with every line of every file matching {@code pattern}. */
  public static void forEachLine(String pattern, Consumer<String> lineConsumer) {
    try {
      FileLines.forEachLine(pattern, EmptyMatchTreatment.ALLOW, lineConsumer);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read output " + pattern, e);
    }
  }

  public static long countLines(String pattern) {
    long[] count = {0};
    forEachLine(pattern, line -> count[0]++);
    return count[0];
  }
}
