package io.streamml.transforms.scoring;

import io.streamml.transforms.batch.AnySkew;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Batches within a bundle: buffers rows per (model version, window), scores a batch when it reaches
 * the maximum size and the rest in {@code finishBundle}. Batches are as large as the runner's
 * bundles allow (Flink streaming: up to {@code maxBundleSize} elements or {@code
 * maxBundleTimeMills}).
 */
final class ScoreInBundleFn extends DoFn<Row, Row> {

  private final BatchScorer scorer;
  private final ModelLocation location;
  private final @Nullable PCollectionView<Iterable<KV<Long, String>>> versionView;
  private final int maxBatchSize;
  private final TupleTag<Row> scoresTag;
  private final TupleTag<Row> deadLettersTag;
  private transient @Nullable Map<BatchKey, List<Pending>> buffers;

  ScoreInBundleFn(
      BatchScorer scorer,
      ModelLocation location,
      @Nullable PCollectionView<Iterable<KV<Long, String>>> versionView,
      int maxBatchSize,
      TupleTag<Row> scoresTag,
      TupleTag<Row> deadLettersTag) {
    this.scorer = scorer;
    this.location = location;
    this.versionView = versionView;
    this.maxBatchSize = maxBatchSize;
    this.scoresTag = scoresTag;
    this.deadLettersTag = deadLettersTag;
  }

  @StartBundle
  public void startBundle() {
    buffers = new LinkedHashMap<>();
  }

  @ProcessElement
  public void process(ProcessContext c, BoundedWindow window) {
    String version =
        versionView == null
            ? location.fixedVersion()
            : FollowLatestVersion.newest(c.sideInput(versionView));
    BatchKey key = new BatchKey(version, window);
    List<Pending> batch = buffers.computeIfAbsent(key, k -> new ArrayList<>());
    batch.add(new Pending(c.element(), c.timestamp(), window));
    if (batch.size() >= maxBatchSize) {
      buffers.remove(key);
      // Every row of the batch is in the current element's window, so the context can emit them.
      scorer.score(
          location.folderOf(version),
          version,
          batch,
          new BatchScorer.Emitter() {
            @Override
            public void score(Pending origin, Row score) {
              c.outputWithTimestamp(scoresTag, score, origin.timestamp);
            }

            @Override
            public void deadLetter(Pending origin, Row deadLetter) {
              c.outputWithTimestamp(deadLettersTag, deadLetter, origin.timestamp);
            }
          });
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    BatchScorer.Emitter emitter =
        new BatchScorer.Emitter() {
          @Override
          public void score(Pending origin, Row score) {
            c.output(scoresTag, score, origin.timestamp, origin.window);
          }

          @Override
          public void deadLetter(Pending origin, Row deadLetter) {
            c.output(deadLettersTag, deadLetter, origin.timestamp, origin.window);
          }
        };
    for (Map.Entry<BatchKey, List<Pending>> batch : buffers.entrySet()) {
      String version = batch.getKey().version;
      scorer.score(location.folderOf(version), version, batch.getValue(), emitter);
    }
    buffers.clear();
  }

  // A full batch is emitted while processing its last row, with the earlier rows' timestamps; they
  // are no earlier than the input watermark, which cannot pass them within the bundle.
  @SuppressWarnings("deprecation")
  @Override
  public Duration getAllowedTimestampSkew() {
    return AnySkew.ALLOWED;
  }

  private static final class BatchKey {
    final String version;
    final BoundedWindow window;

    BatchKey(String version, BoundedWindow window) {
      this.version = version;
      this.window = window;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof BatchKey
          && version.equals(((BatchKey) o).version)
          && window.equals(((BatchKey) o).window);
    }

    @Override
    public int hashCode() {
      return Objects.hash(version, window);
    }
  }
}
