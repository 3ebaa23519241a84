package io.streamml.transforms.features;

import io.streamml.schemas.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/** The event ids whose vectors differ (in any bit) between two outputs of the same events. */
final class BitIdentical {

  private BitIdentical() {}

  static PCollection<String> mismatches(PCollection<Row> left, PCollection<Row> right) {
    TupleTag<Row> leftTag = new TupleTag<>();
    TupleTag<Row> rightTag = new TupleTag<>();
    return KeyedPCollectionTuple.of(leftTag, byId(left, "Left"))
        .and(rightTag, byId(right, "Right"))
        .apply("JoinById", CoGroupByKey.create())
        .apply(
            "Compare",
            ParDo.of(
                new DoFn<KV<String, CoGbkResult>, String>() {
                  @ProcessElement
                  public void process(
                      @Element KV<String, CoGbkResult> joined, OutputReceiver<String> out) {
                    List<Row> l = new ArrayList<>();
                    List<Row> r = new ArrayList<>();
                    joined.getValue().getAll(leftTag).forEach(l::add);
                    joined.getValue().getAll(rightTag).forEach(r::add);
                    if (!l.equals(r)) {
                      out.output(joined.getKey() + ": " + l + " vs " + r);
                    }
                  }
                }))
        .setCoder(StringUtf8Coder.of());
  }

  private static PCollection<KV<String, Row>> byId(PCollection<Row> vectors, String name) {
    return vectors
        .apply(
            "KeyById" + name,
            WithKeys.<String, Row>of(v -> v.getString(FeatureVector.EVENT_ID))
                .withKeyType(TypeDescriptors.strings()))
        // One pane when the input ends, so a stream can be joined like a batch.
        .apply(
            "FireAtEnd" + name,
            Window.<KV<String, Row>>configure()
                .triggering(AfterWatermark.pastEndOfWindow())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes());
  }
}
