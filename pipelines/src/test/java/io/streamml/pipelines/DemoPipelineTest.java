package io.streamml.pipelines;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class DemoPipelineTest {

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private DemoPipeline.Options options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(DemoPipeline.Options.class);
  }

  @Test
  public void everySimulatedRecordIsAnEventOrADeadLetter() {
    Path out = folder.getRoot().toPath();
    DemoSummary summary =
        DemoPipeline.run(options("--events=3000", "--malformedRate=0.05", "--output=" + out));

    assertEquals(3000, summary.read());
    assertEquals(3000, summary.events() + summary.deadLetters());
    // The same seed and rate always corrupt the same records.
    assertEquals(
        summary.deadLetters(),
        DemoPipeline.run(options("--events=3000", "--malformedRate=0.05", "--output=" + out))
            .deadLetters());
  }

  @Test
  public void noMalformedRecordsMeansNoDeadLetters() {
    DemoSummary summary =
        DemoPipeline.run(
            options(
                "--useCase=maintenance",
                "--events=500",
                "--malformedRate=0",
                "--output=" + folder.getRoot()));

    assertEquals(500, summary.events());
    assertEquals(0, summary.deadLetters());
  }
}
