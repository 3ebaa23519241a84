package io.streamml.transforms.scoring;

import io.streamml.transforms.batch.AnySkew;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Scores the batches {@code GroupIntoBatches} gathered across bundles; each row keeps its original
 * timestamp (carried through the grouping) and the batch's window.
 */
final class ScoreBatchesFn extends DoFn<KV<Integer, Iterable<TimestampedValue<Row>>>, Row> {

  private final BatchScorer scorer;
  private final ModelLocation location;
  private final @Nullable PCollectionView<Iterable<KV<Long, String>>> versionView;
  private final TupleTag<Row> scoresTag;
  private final TupleTag<Row> deadLettersTag;

  ScoreBatchesFn(
      BatchScorer scorer,
      ModelLocation location,
      @Nullable PCollectionView<Iterable<KV<Long, String>>> versionView,
      TupleTag<Row> scoresTag,
      TupleTag<Row> deadLettersTag) {
    this.scorer = scorer;
    this.location = location;
    this.versionView = versionView;
    this.scoresTag = scoresTag;
    this.deadLettersTag = deadLettersTag;
  }

  @ProcessElement
  public void process(ProcessContext c, BoundedWindow window) {
    String version =
        versionView == null
            ? location.fixedVersion()
            : FollowLatestVersion.newest(c.sideInput(versionView));
    List<Pending> batch = new ArrayList<>();
    for (TimestampedValue<Row> row : c.element().getValue()) {
      batch.add(new Pending(row.getValue(), row.getTimestamp(), window));
    }
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

  // GroupIntoBatches emits a batch at its flush time; the rows go back to their own, earlier times.
  @SuppressWarnings("deprecation")
  @Override
  public Duration getAllowedTimestampSkew() {
    return AnySkew.ALLOWED;
  }
}
