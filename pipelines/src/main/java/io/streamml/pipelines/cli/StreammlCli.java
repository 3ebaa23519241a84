package io.streamml.pipelines.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The {@code streamml <command> [options]} entry point of every runner jar. Standard Beam options
 * ({@code --runner}, {@code --flinkMaster}, ...) pass straight through to the pipeline.
 *
 * <p>Exit codes: 0 done, 1 the run failed, 2 a usage mistake. Mistakes print one line; set {@code
 * STREAMML_DEBUG=1} for the stack trace.
 */
public final class StreammlCli {

  private static final List<Command<?>> COMMANDS =
      List.of(
          new DemoCommand(),
          new GenerateCommand(),
          new TrainCommand(),
          new ModelsCommand(),
          new ScoreCommand(),
          new DriftCommand(),
          new ReportCommand(),
          new ProduceCommand(),
          new ReplayDeadLettersCommand(),
          new BenchFeaturesCommand(),
          new BenchScoreCommand(),
          new BenchDriftCommand(),
          new BenchEndToEndCommand(),
          new BenchKafkaCommand(),
          new BenchLatencyCommand(),
          new BenchSaturationCommand());

  private StreammlCli() {}

  public static void main(String[] args) {
    // Exit explicitly: some runners leave non-daemon threads behind after a finished job.
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      printUsage(err);
      return 2;
    }
    if (isHelp(args[0]) || args[0].equals("help")) {
      printUsage(out);
      return 0;
    }
    Command<?> command = find(args[0]);
    if (command == null) {
      err.printf(
          "streamml: unknown command '%s'; commands are %s (see 'streamml --help')%n",
          args[0], names());
      return 2;
    }
    String[] flags = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.stream(flags).anyMatch(StreammlCli::isHelp)) {
      printHelp(command, out);
      return 0;
    }
    String action = null;
    if (!command.actions().isEmpty()) {
      if (flags.length == 0 || !command.actions().contains(flags[0])) {
        err.printf(
            "streamml %s: say what to do: one of %s (see 'streamml %s --help')%n",
            command.name(), command.actions(), command.name());
        return 2;
      }
      action = flags[0];
      flags = Arrays.copyOfRange(flags, 1, flags.length);
    }
    return runCommand(command, action, flags, out, err);
  }

  private static <T extends PipelineOptions> int runCommand(
      Command<T> command, String action, String[] flags, PrintStream out, PrintStream err) {
    String prefix = "streamml " + command.name() + ": ";
    T options;
    try {
      options =
          PipelineOptionsFactory.fromArgs(withRunnerDefaults(flags))
              .withValidation()
              .as(command.optionsClass());
    } catch (IllegalArgumentException e) {
      err.println(
          prefix
              + CliErrors.describeOptionsError(e)
              + " (see 'streamml "
              + command.name()
              + " --help')");
      return 2;
    }
    try {
      command.run(options, action, out);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(prefix + CliErrors.describeFailure(e));
      debug(e, err);
      return 2;
    } catch (Exception | LinkageError e) {
      err.println(prefix + "failed: " + CliErrors.describeFailure(e));
      debug(e, err);
      return 1;
    }
  }

  /**
   * Bundle time on Flink when the flags leave it unset. Beam's Flink runner does not pass a ParDo's
   * watermark on while that ParDo has a bundle open, and a live stream keeps one open nearly all
   * the time; a bundle closes after {@code --maxBundleTimeMills} (Beam's default 1000 ms), and only
   * then may the held watermark move on, one chained ParDo at a time. Per-event features wait for
   * the watermark, so with the default their output came in bursts seconds to a minute apart
   * (docs/runners.md). Count still caps a bundle ({@code --maxBundleSize}, 1000), so a fast stream
   * keeps its large scoring batches. 10 ms, not 50: at 200 events/s p99 fell from 3.0 s to 0.31 s
   * (docs/performance.md), at the cost of some of the most a stream sustains.
   */
  static final String FLINK_MAX_BUNDLE_TIME_MILLS = "10";

  /**
   * Beam's Flink runner deep-copies every element between chained operators (through its coder)
   * unless {@code --fasterCopy}. Beam's model already forbids a DoFn to change its input or what it
   * has output (our suites check it with the Direct runner's immutability enforcement), so the copy
   * only costs: {@code bench-score --topK=0} on Flink p=2 scored at 0.29 of raw xgboost4j with it
   * and 0.49 without (docs/performance.md).
   */
  static final String FLINK_FASTER_COPY = "true";

  /**
   * The Direct runner's checks that a DoFn neither mutates its input nor emits what its coder
   * cannot round-trip. They catch bugs in DoFn code, and our TestPipeline suites run with them; for
   * a user's run they only cost: more than half the demo's CPU (74 s against 32 s for 1,500 events,
   * docs/runners.md). So the launcher turns them off unless the flags set them.
   */
  static final List<String> DIRECT_RUNNER_CHECKS =
      List.of("--enforceImmutability", "--enforceEncodability");

  /**
   * {@code flags}, plus the launcher's runner defaults where they do not set them: {@code
   * --maxBundleTimeMills} and {@code --fasterCopy} on the Flink runner, the Direct runner's checks
   * off ({@link #DIRECT_RUNNER_CHECKS}) on the Direct runner, which is also the runner when none is
   * named.
   */
  static String[] withRunnerDefaults(String[] flags) {
    return withRunnerDefaults(
        flags,
        inThisJar("org.apache.beam.runners.flink.FlinkPipelineOptions"),
        inThisJar("org.apache.beam.runners.direct.DirectOptions"));
  }

  // A jar without the runner keeps the flags as they are, to say so in its own error.
  static String[] withRunnerDefaults(String[] flags, boolean flinkInJar, boolean directInJar) {
    String runner = "direct";
    for (String flag : flags) {
      if (flag.startsWith("--runner=")) {
        runner = flag.substring("--runner=".length());
        runner = runner.substring(runner.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      }
    }
    List<String> withDefaults = new ArrayList<>(Arrays.asList(flags));
    if ((runner.equals("flink") || runner.equals("flinkrunner")) && flinkInJar) {
      addUnlessSet(withDefaults, "--maxBundleTimeMills", FLINK_MAX_BUNDLE_TIME_MILLS);
      addUnlessSet(withDefaults, "--fasterCopy", FLINK_FASTER_COPY);
    }
    if ((runner.equals("direct") || runner.equals("directrunner")) && directInJar) {
      for (String check : DIRECT_RUNNER_CHECKS) {
        addUnlessSet(withDefaults, check, "false");
      }
    }
    return withDefaults.toArray(String[]::new);
  }

  private static void addUnlessSet(List<String> flags, String flag, String value) {
    boolean set = flags.stream().anyMatch(f -> f.equals(flag) || f.startsWith(flag + "="));
    if (!set) {
      flags.add(flag + "=" + value);
    }
  }

  private static boolean inThisJar(String className) {
    try {
      Class.forName(className, false, StreammlCli.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static void debug(Throwable e, PrintStream err) {
    if (System.getenv("STREAMML_DEBUG") != null) {
      e.printStackTrace(err);
    }
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.startsWith("--help=");
  }

  private static Command<?> find(String name) {
    return COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  private static List<String> names() {
    return COMMANDS.stream().map(Command::name).toList();
  }

  private static void printUsage(PrintStream out) {
    out.println("streamml - machine learning on streaming data with Apache Beam");
    out.println();
    out.println("Usage: streamml <command> [options]");
    out.println();
    out.println("Commands:");
    for (Command<?> command : COMMANDS) {
      out.printf("  %-10s %s%n", command.name(), command.summary());
    }
    out.println();
    out.println("Run 'streamml <command> --help' for a command's options. Standard Beam options");
    out.println("pass through, e.g. --runner=DirectRunner|FlinkRunner|SparkRunner.");
  }

  private static void printHelp(Command<?> command, PrintStream out) {
    String actions = command.actions().isEmpty() ? "" : " " + String.join("|", command.actions());
    out.printf(
        "Usage: streamml %s%s [options]%n%n%s.%n%n", command.name(), actions, command.summary());
    OptionsHelp.print(command.optionsClass(), out);
  }
}
