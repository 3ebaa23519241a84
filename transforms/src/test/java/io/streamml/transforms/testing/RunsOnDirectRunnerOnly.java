package io.streamml.transforms.testing;

/**
 * JUnit category of tests that drive a live (unbounded, processing-time) pipeline on the Direct
 * runner themselves and watch it from the test through JVM-wide latches. They do not take {@code
 * beamTestPipelineOptions}, so the Flink and Spark reruns of the suites skip them.
 */
public interface RunsOnDirectRunnerOnly {}
