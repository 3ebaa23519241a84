package io.streamml.pipelines.report;

import io.streamml.pipelines.DriftPipeline;
import io.streamml.pipelines.DriftSettings;
import io.streamml.pipelines.OutputFiles;
import io.streamml.pipelines.options.DriftOptions;
import io.streamml.pipelines.options.RegistryOptions;
import io.streamml.pipelines.options.ReportOptions;
import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.WindowProfile;
import io.streamml.transforms.drift.ReferenceProfile;
import io.streamml.transforms.model.ModelBundle;
import io.streamml.transforms.model.ModelRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.Row;

/** {@code streamml report}: reads a drift run's files and writes the HTML page. */
public final class ReportRun {

  /** The report's flags. */
  public interface Options extends ReportOptions, RegistryOptions, DriftOptions {}

  private ReportRun() {}

  /** Writes the report and returns where. */
  public static String run(Options options, PrintStream out) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    String metricsPattern = OutputFiles.join(options.getInput(), "drift/metrics/part*");
    List<Row> metrics = read(metricsPattern, DriftMetric.schema());
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException(
          "No drift metrics under "
              + options.getInput()
              + "/drift/metrics/: give the --output of a 'streamml drift' run as --input");
    }
    List<Row> profiles =
        read(OutputFiles.join(options.getInput(), "drift/profiles/part*"), writtenProfileSchema());
    ModelBundle bundle = ModelRegistry.at(options.getRegistry()).loadLatest();
    ReferenceProfile reference = DriftPipeline.referenceOf(options.getRegistry());
    String html =
        DriftReport.render(
            "streamml drift report: " + options.getInput(),
            metrics,
            profiles,
            reference,
            DriftSettings.of(options, bundle.spec().drift()).thresholds());
    String file =
        options.getReportFile() != null
            ? options.getReportFile()
            : OutputFiles.join(options.getInput(), "drift/report.html");
    write(file, html);
    out.printf(
        "streamml report: %d drift rows, %d window profiles -> %s%n",
        metrics.size(), profiles.size(), file);
    return file;
  }

  /** Drift runs write profiles without their sketch bytes. */
  private static Schema writtenProfileSchema() {
    Schema.Builder builder = Schema.builder();
    for (Schema.Field field : WindowProfile.schema().getFields()) {
      if (!field.getName().equals(WindowProfile.QUANTILE_SKETCH)) {
        builder.addField(field);
      }
    }
    return builder.build();
  }

  private static List<Row> read(String pattern, Schema schema) {
    RowJsonCodec codec = RowJsonCodec.of(schema);
    List<Row> rows = new ArrayList<>();
    OutputFiles.forEachLine(pattern, line -> rows.add(codec.parse(line)));
    return rows;
  }

  private static void write(String file, String html) throws IOException {
    ResourceId target = FileSystems.matchNewResource(file, false);
    try (WritableByteChannel channel = FileSystems.create(target, MimeTypes.TEXT)) {
      channel.write(ByteBuffer.wrap(html.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
