package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.UseCaseSpecs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.SourceTestUtils;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * {@link ReadEvents#fromJsonLines} reads files through {@link RawLineSource}: every line once, in
 * whatever byte ranges the runner splits the file into, with lines that are not UTF-8 kept as their
 * bytes so parsing dead-letters them intact.
 */
@RunWith(JUnit4.class)
public class RawLineSourceTest {

  private static final byte[] NOT_UTF8 = {(byte) 0xff, (byte) 0xfe, 'x'};

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      byte[] b =
          part instanceof byte[] ? (byte[]) part : ((String) part).getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  private Path write(String name, byte[] content) throws IOException {
    Path file = folder.getRoot().toPath().resolve(name);
    Files.write(file, content);
    return file;
  }

  @Test
  public void everyLineOnceWithBytesThatAreNotUtf8Kept() throws Exception {
    Path file =
        write(
            "events.jsonl",
            bytes(
                "{\"a\":1}\n", "\n", "{\"b\":\"é\"}\r\n", NOT_UTF8, "\n", "last without newline"));
    PCollection<String> lines = pipeline.apply(ReadEvents.fromJsonLines(file.toString()));
    PAssert.that(lines)
        .containsInAnyOrder(
            "{\"a\":1}", "", "{\"b\":\"é\"}", RawPayloads.decode(NOT_UTF8), "last without newline");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aLineThatIsNotUtf8IsDeadLetteredWithItsBytes() throws Exception {
    Path file =
        write(
            "events.jsonl",
            bytes(
                ParseEventsTest.transaction("t-1", "1", "2026-01-01T00:00:05Z"),
                "\n{\"transaction_id\": \"t-2\", \"card_id\": \"c-",
                NOT_UTF8,
                "\"}\n"));
    WithFailures.Result<PCollection<Row>, Row> parsed =
        pipeline
            .apply(ReadEvents.fromJsonLines(file.toString()))
            .apply(ParseEvents.of(UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD)));
    byte[] badLine = bytes("{\"transaction_id\": \"t-2\", \"card_id\": \"c-", NOT_UTF8, "\"}");
    PAssert.that(parsed.output().apply(Count.globally())).containsInAnyOrder(1L);
    PAssert.that(
            parsed
                .failures()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            d ->
                                d.getString(DeadLetter.STAGE)
                                    + " "
                                    + d.getString(DeadLetter.RAW_PAYLOAD))))
        .containsInAnyOrder(
            DeadLetter.Stage.PARSE + " base64:" + Base64.getEncoder().encodeToString(badLine));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void splitsReadEveryLineExactlyOnce() throws Exception {
    List<String> expected = new ArrayList<>();
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (int i = 0; i < 3000; i++) {
      byte[] line =
          i % 97 == 0
              ? bytes("{\"n\":", Integer.toString(i), ",\"x\":\"", NOT_UTF8, "\"}")
              : bytes("{\"n\":" + i + ",\"pad\":\"" + "p".repeat(i % 50) + "\"}");
      expected.add(RawPayloads.decode(line));
      content.write(line, 0, line.length);
      content.write(i % 5 == 0 ? '\r' : '\n');
      if (i % 5 == 0) {
        content.write('\n');
      }
    }
    Path file = write("big.jsonl", content.toByteArray());
    PipelineOptions options = PipelineOptionsFactory.create();
    RawLineSource source = new RawLineSource(file.toString(), EmptyMatchTreatment.DISALLOW);
    List<String> whole = SourceTestUtils.readFromSource(source, options);
    assertEquals(expected, whole);
    List<? extends BoundedSource<String>> splits = source.split(4096, options);
    assertTrue("the file splits into many ranges: " + splits.size(), splits.size() > 10);
    SourceTestUtils.assertSourcesEqualReferenceSource(source, splits, options);
  }

  @Test
  public void aByteOrderMarkIsDroppedAndGzipFilesAreRead() throws Exception {
    Path bom =
        write("bom.jsonl", bytes(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, "{}\n"));
    Path gz = folder.getRoot().toPath().resolve("events.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(bytes("{\"z\":1}\n", NOT_UTF8, "\n"));
    }
    PAssert.that(pipeline.apply("Bom", ReadEvents.fromJsonLines(bom.toString())))
        .containsInAnyOrder("{}");
    PAssert.that(pipeline.apply("Gzip", ReadEvents.fromJsonLines(gz.toString())))
        .containsInAnyOrder("{\"z\":1}", RawPayloads.decode(NOT_UTF8));
    pipeline.run().waitUntilFinish();
  }
}
