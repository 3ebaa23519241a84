package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class ReplayDeadLettersTest {

  private static final UseCaseSpec FRAUD = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);

  /** The fix: the spec now allows the "wallet" channel it refused before. */
  private static final UseCaseSpec FIXED = withWalletChannel(FRAUD);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static UseCaseSpec withWalletChannel(UseCaseSpec spec) {
    try {
      ObjectNode json = (ObjectNode) new ObjectMapper().readTree(UseCaseSpecs.toJson(spec));
      for (JsonNode field : json.get("fields")) {
        if (field.get("name").asText().equals("channel")) {
          ((ArrayNode) field.get("allowedValues")).add("wallet");
        }
      }
      return UseCaseSpecs.parse(json.toString(), "fixed spec");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Row letter(String stage, String payload) {
    return DeadLetter.of(
        "file:in.jsonl", stage, payload, "refused", null, Instant.parse("2026-01-01T01:00:00Z"));
  }

  private static String wallet(String id) {
    return ParseEventsTest.transaction(id, "20", "2026-01-01T00:00:05Z")
        .replace("\"pos\"", "\"wallet\"");
  }

  @Test
  public void theFixedSpecAcceptsWhatWasRefusedOncePerIdAndAccountsForEveryLetter() {
    String stillBroken = "{\"transaction_id\": \"tx-9\", \"card_";
    List<Row> letters =
        List.of(
            letter(DeadLetter.Stage.VALIDATE, wallet("tx-1")),
            // The same event, dead-lettered by two runs: replayed once.
            letter(DeadLetter.Stage.VALIDATE, wallet("tx-1")),
            letter(DeadLetter.Stage.VALIDATE, wallet("tx-2")),
            letter(DeadLetter.Stage.PARSE, stillBroken),
            letter(DeadLetter.Stage.PARSE, stillBroken),
            letter(
                DeadLetter.Stage.PARSE,
                RawPayloads.deadLetterPayload(RawPayloads.decode(new byte[] {(byte) 0xff}))),
            letter(DeadLetter.Stage.SCORE, "{\"key\": \"card-1\"}"));

    ReplayDeadLetters.Result replay =
        pipeline
            .apply(Create.of(letters).withCoder(SchemaCoder.of(DeadLetter.SCHEMA)))
            .apply(ReplayDeadLetters.as(FIXED));

    PAssert.that(replay.events)
        .satisfies(
            events -> {
              List<String> ids = new ArrayList<>();
              events.forEach(e -> ids.add(ParsedIds.idOf(e)));
              assertEquals(
                  List.of("tx-1", "tx-2"), ids.stream().sorted().collect(Collectors.toList()));
              return null;
            });
    PAssert.that(stages(replay.duplicates, "Dups")).containsInAnyOrder("replay");
    PAssert.that(stages(replay.stillDeadLetters, "Still"))
        .containsInAnyOrder("parse", "parse", "parse");
    PAssert.that(stages(replay.notReplayable, "Skipped")).containsInAnyOrder("score");
    pipeline.run();
  }

  private static PCollection<String> stages(PCollection<Row> letters, String name) {
    return letters.apply(
        name, MapElements.into(TypeDescriptors.strings()).via(l -> l.getString(DeadLetter.STAGE)));
  }

  /** Reads the id back out of a replayed event's JSON. */
  static final class ParsedIds {
    static String idOf(String json) {
      int at = json.indexOf("\"transaction_id\":\"") + "\"transaction_id\":\"".length();
      return json.substring(at, json.indexOf('"', at));
    }
  }
}
