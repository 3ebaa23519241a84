package io.streamml.transforms.scoring;

import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/** A row waiting in a batch, with the timestamp and window its score must keep. */
final class Pending {
  final Row row;
  final Instant timestamp;
  final BoundedWindow window;

  Pending(Row row, Instant timestamp, BoundedWindow window) {
    this.row = row;
    this.timestamp = timestamp;
    this.window = window;
  }
}
