package io.streamml.transforms.ingest;

import io.streamml.schemas.EnrichmentSpec;
import io.streamml.schemas.RowJsonCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
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
    MatchResult match = FileSystems.match(path, EmptyMatchTreatment.DISALLOW);
    for (MatchResult.Metadata file : match.metadata()) {
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(FileSystems.open(file.resourceId())),
                  StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          try {
            Row row = codec.parse(line);
            table.put(row.getString(enrichment.referenceKey()), row);
            loaded.inc();
          } catch (RuntimeException e) {
            invalid.inc();
          }
        }
      }
    }
    out.output(table);
  }
}
