package io.streamml.pipelines.cli;

import java.io.PrintStream;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One {@code streamml <command>}: its name, a one-line summary, its flags, and what it does. */
interface Command<T extends PipelineOptions> {

  String name();

  String summary();

  Class<T> optionsClass();

  /** The actions the command takes as its first argument ({@code models list}); none by default. */
  default List<String> actions() {
    return List.of();
  }

  /**
   * Runs the command ({@code action} is null for commands without actions); throws {@link
   * IllegalArgumentException} for a user mistake.
   */
  void run(T options, @Nullable String action, PrintStream out) throws Exception;
}
