package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The hostile-input corpus ({@code hostile-fraud-records.jsonl} in test resources, plus records too
 * large or too odd to keep in a file) goes through {@link ParseEvents} beside valid events: every
 * hostile record is a dead letter with its stage, a reason and its raw payload, every valid one is
 * an event, and nothing else comes out.
 */
@RunWith(JUnit4.class)
public class HostileInputTest {

  private static final UseCaseSpec FRAUD = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** One hostile record: what it is, the stage that must refuse it and a fragment of the reason. */
  static final class Hostile implements java.io.Serializable {
    final String name;
    final String stage;
    final String reason;

    Hostile(String name, String stage, String reason) {
      this.name = name;
      this.stage = stage;
      this.reason = reason;
    }
  }

  /** The corpus, by raw payload as {@link ParseEvents} receives it. */
  static Map<String, Hostile> corpus() {
    Map<String, Hostile> corpus = new LinkedHashMap<>();
    try (InputStream in =
        HostileInputTest.class.getResourceAsStream("hostile-fraud-records.jsonl")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        JsonNode record = JSON.readTree(line);
        corpus.put(
            record.get("payload").asText(),
            new Hostile(
                record.get("case").asText(),
                record.get("stage").asText(),
                record.get("reason").asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    corpus.put(
        RawPayloads.decode(new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', '}'}),
        new Hostile("invalid UTF-8", DeadLetter.Stage.PARSE, "Not UTF-8"));
    corpus.put(
        ParseEventsTest.transaction("h-deep", "1", "2026-01-01T00:00:05Z")
                .replace("}", ",\"extra\":")
            + "[".repeat(5_000)
            + "]".repeat(5_000)
            + "}",
        new Hostile("deeply nested JSON", DeadLetter.Stage.PARSE, "nesting depth"));
    corpus.put(
        ParseEventsTest.transaction("h-huge", "1", "2026-01-01T00:00:05Z")
            .replace("\"m-1\"", "\"" + "m".repeat(10 << 20) + "\""),
        new Hostile("10 MB record", DeadLetter.Stage.PARSE, "bytes, above the limit of 1048576"));
    corpus.put(
        ParseEventsTest.transaction("h-long", "1", "2026-01-01T00:00:05Z")
            .replace("\"m-1\"", "\"" + "m".repeat(100_000) + "\""),
        new Hostile(
            "oversized string",
            DeadLetter.Stage.VALIDATE,
            "Field 'merchant_id' is 100000 characters long, above the limit of 65536"));
    return corpus;
  }

  /** Valid events, some with what a tolerant reader accepts: extra fields, JSON in any order. */
  private static Map<String, String> validById() {
    Map<String, String> valid = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      valid.put("ok-" + i, ParseEventsTest.transaction("ok-" + i, "12.5", "2026-01-01T00:00:05Z"));
    }
    valid.put(
        "ok-extra",
        ParseEventsTest.transaction("ok-extra", "3", "2026-01-01T00:00:06Z")
            .replace("}", ",\"loyalty_tier\":\"gold\",\"nested\":{\"a\":[1,2]}}"));
    return valid;
  }

  @Test
  public void everyHostileRecordIsADeadLetterWithItsStageAndReasonAndEveryValidOneAnEvent() {
    Map<String, Hostile> corpus = corpus();
    Map<String, String> valid = validById();
    List<String> input = new ArrayList<>(valid.values());
    input.addAll(corpus.keySet());

    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline
            .apply(Create.of(input).withCoder(StringUtf8Coder.of()))
            .apply(ParseEvents.of(FRAUD).withSourceName("hostile-corpus"));

    PAssert.that(result.output())
        .satisfies(
            events -> {
              Map<String, Integer> seen = new HashMap<>();
              events.forEach(e -> seen.merge(e.getString("transaction_id"), 1, Integer::sum));
              Map<String, Integer> expected = new HashMap<>();
              valid.keySet().forEach(id -> expected.put(id, 1));
              assertEquals("each valid event exactly once, nothing else", expected, seen);
              return null;
            });
    PAssert.that(result.failures())
        .satisfies(
            letters -> {
              Map<String, Hostile> unseen = new LinkedHashMap<>(corpus);
              for (Row letter : letters) {
                String raw = letter.getString(DeadLetter.RAW_PAYLOAD);
                // Bytes that are not UTF-8 come out as "base64:...", without the in-flight marker.
                Hostile hostile = unseen.remove(unseen.containsKey(raw) ? raw : "\u0000" + raw);
                assertTrue(
                    "an unexpected or repeated dead letter: " + shortly(letter), hostile != null);
                assertEquals(hostile.name, hostile.stage, letter.getString(DeadLetter.STAGE));
                String error = letter.getString(DeadLetter.ERROR);
                assertTrue(
                    hostile.name + ": '" + error + "' should contain '" + hostile.reason + "'",
                    !error.isBlank() && error.contains(hostile.reason));
                assertEquals("hostile-corpus", letter.getString(DeadLetter.SOURCE));
              }
              assertTrue("not dead-lettered: " + names(unseen), unseen.isEmpty());
              return null;
            });
    pipeline.run();
  }

  private static List<String> names(Map<String, Hostile> corpus) {
    List<String> names = new ArrayList<>();
    corpus.values().forEach(h -> names.add(h.name));
    return names;
  }

  private static String shortly(Row letter) {
    String text = letter.toString();
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
