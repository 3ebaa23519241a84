package io.streamml.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The completed checkpoints Flink retains under a {@code --stateBackendStoragePath}. */
final class FlinkCheckpoints {

  private FlinkCheckpoints() {}

  /** The newest complete checkpoint ({@code <job>/chk-N} with its {@code _metadata}), or null. */
  static Path latest(Path storage) throws IOException {
    if (!Files.isDirectory(storage)) {
      return null;
    }
    try (Stream<Path> paths = Files.walk(storage, 2)) {
      return paths
          .filter(p -> p.getFileName().toString().matches("chk-\\d+"))
          .filter(p -> Files.exists(p.resolve("_metadata")))
          .max(Comparator.comparingLong(FlinkCheckpoints::number))
          .orElse(null);
    }
  }

  private static long number(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
  }
}
