package io.streamml.transforms.testing;

/**
 * JUnit category of tests that need a TestStream watermark advance to reach a stateful step before
 * the elements added after it. Beam 2.62's Flink runner did not deliver it that way in our runs
 * (the late element was still counted as on time), so the Flink run of the suites excludes them;
 * see docs/runners.md.
 */
public interface NeedsWatermarkBeforeNextElement {}
