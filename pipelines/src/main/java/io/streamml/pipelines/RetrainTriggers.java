package io.streamml.pipelines;

import io.streamml.schemas.RetrainTrigger;
import io.streamml.schemas.RowJsonCodec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** The retrain triggers a drift run wrote, read back in time order. */
public final class RetrainTriggers {

  private final List<Row> triggers;

  private RetrainTriggers(List<Row> triggers) {
    this.triggers = triggers;
  }

  public static RetrainTriggers read(String pattern) {
    RowJsonCodec codec = RowJsonCodec.of(RetrainTrigger.schema());
    List<Row> triggers = new ArrayList<>();
    OutputFiles.forEachLine(pattern, line -> triggers.add(codec.parse(line)));
    triggers.sort(Comparator.comparing(t -> t.getDateTime(RetrainTrigger.TRIGGER_TIME)));
    return new RetrainTriggers(triggers);
  }

  public List<Row> all() {
    return triggers;
  }

  /** The first trigger after {@code time}, or null. */
  public @Nullable Row firstAfter(Instant time) {
    for (Row t : triggers) {
      if (t.getDateTime(RetrainTrigger.TRIGGER_TIME).isAfter(time)) {
        return t;
      }
    }
    return null;
  }

  public void print(PrintStream out) {
    out.printf("retrain triggers: %d%n", triggers.size());
    for (Row t : triggers) {
      out.printf(
          "  %s  %-16s %s%s%n",
          t.getDateTime(RetrainTrigger.TRIGGER_TIME),
          t.getString(RetrainTrigger.REASON),
          t.getString(RetrainTrigger.DETAIL),
          t.getString(RetrainTrigger.SEGMENT) == null
              ? ""
              : " (segment " + t.getString(RetrainTrigger.SEGMENT) + ")");
    }
  }
}
