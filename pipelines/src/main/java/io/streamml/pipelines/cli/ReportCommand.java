package io.streamml.pipelines.cli;

import io.streamml.pipelines.report.ReportRun;
import java.io.PrintStream;

final class ReportCommand implements Command<ReportRun.Options> {

  @Override
  public String name() {
    return "report";
  }

  @Override
  public String summary() {
    return "render a drift run's output as one self-contained HTML page";
  }

  @Override
  public Class<ReportRun.Options> optionsClass() {
    return ReportRun.Options.class;
  }

  @Override
  public void run(ReportRun.Options options, String action, PrintStream out) throws Exception {
    ReportRun.run(options, out);
  }
}
