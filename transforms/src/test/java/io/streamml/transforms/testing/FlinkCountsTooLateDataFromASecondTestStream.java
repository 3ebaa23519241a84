package io.streamml.transforms.testing;

/**
 * JUnit category of tests where data arriving after the allowed lateness on the second of two
 * TestStreams must be dropped. Beam 2.62's Flink runner counted such an element in our runs, also
 * with one-element bundles (so not {@link NeedsWatermarkBeforeNextElement}'s cause); the cause is
 * not known yet, so the Flink run of the suites skips these tests. See docs/runners.md.
 */
public interface FlinkCountsTooLateDataFromASecondTestStream {}
