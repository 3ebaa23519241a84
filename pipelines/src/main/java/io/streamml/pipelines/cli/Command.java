package io.streamml.pipelines.cli;

import java.io.PrintStream;
import org.apache.beam.sdk.options.PipelineOptions;

/** One {@code streamml <command>}: its name, a one-line summary, its flags, and what it does. */
interface Command<T extends PipelineOptions> {

  String name();

  String summary();

  Class<T> optionsClass();

  /** Runs the command; throws {@link IllegalArgumentException} for a user mistake. */
  void run(T options, PrintStream out) throws Exception;
}
