package io.streamml.transforms.testing;

/**
 * JUnit category of tests that need a TestStream watermark advance to reach a stateful step before
 * the elements added after it. Beam's Flink runner holds a ParDo's output watermark while that
 * ParDo's bundle is open (up to {@code --maxBundleSize} elements or {@code --maxBundleTimeMills})
 * but passes its elements on at once, so downstream an element can overtake the watermark that
 * preceded it: legal in Beam's model, where watermarks may lag, but not what these tests assert. On
 * Flink they run with {@code --maxBundleSize=1}; see docs/runners.md.
 */
public interface NeedsWatermarkBeforeNextElement {}
