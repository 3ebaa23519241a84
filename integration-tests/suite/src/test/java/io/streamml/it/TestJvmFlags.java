package io.streamml.it;

import java.util.List;

/**
 * JVM flags for every process the suite starts (CLI runs, brokers, cluster daemons): the C1
 * compiler only and the serial collector. The suite checks behaviour, not speed, and its processes
 * live seconds to minutes: C2's compile threads and G1's workers then cost more CPU than they save,
 * and on a 2-core CI machine the processes compete for it. Measured with {@code ./streamml demo
 * --events=5000}: 25.6 s of CPU with the defaults, 10.8 s with these (train and the Flink and Spark
 * runners alike). The benchmarks' published figures come from runs with the default flags.
 */
final class TestJvmFlags {

  static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private TestJvmFlags() {}

  /** {@code STREAMML_JAVA_OPTS} for a CLI run: these flags, then the caller's own. */
  static String streammlJavaOpts(String callersOpts) {
    String flags = String.join(" ", FLAGS);
    return callersOpts == null || callersOpts.isBlank() ? flags : flags + " " + callersOpts;
  }
}
