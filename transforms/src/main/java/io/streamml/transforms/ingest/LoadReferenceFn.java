package io.streamml.transforms.ingest;

import io.streamml.schemas.EnrichmentSpec;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.transforms.io.FileLines;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;

/**
 * Reads a reference table (JSON lines matching a file pattern, any Beam filesystem) into a map from
 * key to row, each time it is triggered. Rows that do not parse, or have no key, are skipped and
 * counted ({@code reference_rows_invalid}); a file that cannot be read fails the load.
 */
final class LoadReferenceFn<T> extends DoFn<T, Map<String, Row>> {

  private final EnrichmentSpec enrichment;
  private final String path;
  private final RowJsonCodec codec;
  private final Counter loaded = Metrics.counter("streamml.enrich", "reference_rows_loaded");
  private final Counter invalid = Metrics.counter("streamml.enrich", "reference_rows_invalid");

  LoadReferenceFn(EnrichmentSpec enrichment, String path) {
    this.enrichment = enrichment;
    this.path = path;
    this.codec = RowJsonCodec.of(enrichment.referenceSchema());
  }

  @ProcessElement
  public void process(OutputReceiver<Map<String, Row>> out) throws IOException {
    Map<String, Row> table = new HashMap<>();
    FileLines.forEachLine(
        path,
        EmptyMatchTreatment.DISALLOW,
        line -> {
          if (line.isBlank()) {
            return;
          }
          try {
            Row row = codec.parse(line);
            table.put(row.getString(enrichment.referenceKey()), row);
            loaded.inc();
          } catch (RuntimeException e) {
            invalid.inc();
          }
        });
    out.output(table);
  }
}
