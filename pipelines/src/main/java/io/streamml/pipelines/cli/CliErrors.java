package io.streamml.pipelines.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns exceptions into the one line a user needs to read. */
final class CliErrors {

  private static final Pattern UNKNOWN_OPTION =
      Pattern.compile("missing a property named '([^']+)'");
  private static final Pattern UNKNOWN_RUNNER =
      Pattern.compile(
          "Unknown 'runner' specified '([^']+)', supported pipeline runners \\[(.*)\\]");

  private CliErrors() {}

  /** A flag-parsing error from Beam's {@code PipelineOptionsFactory}, rephrased. */
  static String describeOptionsError(IllegalArgumentException e) {
    String message = firstLine(e.getMessage());
    Matcher unknownOption = UNKNOWN_OPTION.matcher(message);
    if (unknownOption.find()) {
      return "unknown option --"
          + unknownOption.group(1)
          + " (if it belongs to another runner, pass that --runner through the streamml launcher)";
    }
    Matcher unknownRunner = UNKNOWN_RUNNER.matcher(message);
    if (unknownRunner.find()) {
      return "--runner="
          + unknownRunner.group(1)
          + " is not in this jar, which has "
          + unknownRunner.group(2)
          + "; run through the streamml launcher, which picks the jar for --runner";
    }
    return message;
  }

  /** The innermost message worth showing for a failed run. */
  static String describeFailure(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null
        && cause.getCause() != cause
        && (cause.getMessage() == null || isWrapper(cause))) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return firstLine(message);
  }

  private static boolean isWrapper(Throwable e) {
    String name = e.getClass().getSimpleName();
    return name.equals("PipelineExecutionException")
        || name.equals("UncheckedExecutionException")
        || name.equals("ExecutionException")
        || e.getMessage().startsWith(e.getCause().getClass().getName());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
