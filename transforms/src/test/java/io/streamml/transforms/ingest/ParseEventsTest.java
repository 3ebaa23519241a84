package io.streamml.transforms.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class ParseEventsTest {

  private static final UseCaseSpec FRAUD = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  static String transaction(String id, String amount, String time) {
    return "{\"transaction_id\":\""
        + id
        + "\",\"card_id\":\"card-1\",\"merchant_id\":\"m-1\",\"merchant_category\":\"grocery\","
        + "\"amount\":"
        + amount
        + ",\"currency\":\"EUR\",\"country\":\"DE\",\"channel\":\"pos\",\"event_time\":\""
        + time
        + "\",\"is_fraud\":false}";
  }

  private static final String GOOD = transaction("tx-1", "12.5", "2026-01-01T00:00:05Z");

  /** Each bad payload, with the stage that must refuse it and a fragment of the reason. */
  private static Map<String, String[]> badPayloads() {
    Map<String, String[]> bad = new LinkedHashMap<>();
    bad.put("{\"transaction_id\": \"tx-2\", \"card_", parse("Unexpected end-of-input"));
    bad.put("not json at all", parse("Unrecognized token"));
    bad.put(transaction("tx-3", "\"12.5\"", "2026-01-01T00:00:05Z"), parse("amount"));
    bad.put(GOOD.replace("\"card_id\":\"card-1\",", ""), parse("card_id"));
    bad.put(transaction("tx-4", "12.5", "2026-13-45T99:00:00Z"), parse("event_time"));
    bad.put(transaction("tx-6", "NaN", "2026-01-01T00:00:05Z"), parse("NaN"));
    bad.put("", parse("Empty record"));
    bad.put(
        transaction("tx-5", "-3", "2026-01-01T00:00:05Z"),
        validate("Field 'amount' is -3.0, below its minimum 0.0"));
    bad.put(
        GOOD.replace("\"pos\"", "\"carrier-pigeon\""),
        validate("Field 'channel' is 'carrier-pigeon', not one of [pos, online, atm]"));
    return bad;
  }

  private static String[] parse(String reason) {
    return new String[] {DeadLetter.Stage.PARSE, reason};
  }

  private static String[] validate(String reason) {
    return new String[] {DeadLetter.Stage.VALIDATE, reason};
  }

  /** Each event as {@code id@timestamp}. */
  private static PCollection<String> idsAtTheirTimestamps(PCollection<Row> events) {
    return events
        .apply(Reify.timestamps())
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(tv -> tv.getValue().getString("transaction_id") + "@" + tv.getTimestamp()));
  }

  @Test
  public void validEventBecomesARowTimestampedAtItsEventTime() {
    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline.apply(Create.of(GOOD)).apply(ParseEvents.of(FRAUD));

    PCollection<String> idAtTimestamp = idsAtTheirTimestamps(result.output());
    PAssert.that(idAtTimestamp).containsInAnyOrder("tx-1@2026-01-01T00:00:05.000Z");
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  public void keepingRecordTimestampsLeavesTheEventAtItsRecordsTime() {
    // A record appended to Kafka months after its payload's event time (a replay, a simulator).
    Instant appended = Instant.parse("2026-12-02T10:00:00Z");
    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline
            .apply(Create.timestamped(TimestampedValue.of(GOOD, appended)))
            .apply(ParseEvents.of(FRAUD).keepingRecordTimestamps());

    PCollection<String> idAtTimestamp = idsAtTheirTimestamps(result.output());
    PAssert.that(idAtTimestamp).containsInAnyOrder("tx-1@2026-12-02T10:00:00.000Z");
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  public void eachKindOfBadRecordIsDeadLetteredWithItsStageAndReason() {
    Map<String, String[]> bad = badPayloads();

    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline
            .apply(Create.of(new ArrayList<>(bad.keySet())))
            .apply(ParseEvents.of(FRAUD).withSourceName("file:test.jsonl"));

    PAssert.that(result.output()).empty();
    PAssert.that(result.failures())
        .satisfies(
            letters -> {
              int seen = 0;
              for (Row letter : letters) {
                String[] expected = bad.get(letter.getString(DeadLetter.RAW_PAYLOAD));
                assertEquals(letter.toString(), expected[0], letter.getString(DeadLetter.STAGE));
                assertThat(letter.getString(DeadLetter.ERROR), containsString(expected[1]));
                assertEquals("file:test.jsonl", letter.getString(DeadLetter.SOURCE));
                seen++;
              }
              assertEquals(bad.size(), seen);
              return null;
            });
    pipeline.run();
  }

  @Test
  public void validationFailuresKeepTheEventTimeParseFailuresDoNot() {
    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline
            .apply(Create.of(transaction("tx-5", "-3", "2026-01-01T00:00:05Z"), "{\"broken\": tru"))
            .apply(ParseEvents.of(FRAUD));

    PAssert.that(result.failures())
        .satisfies(
            letters -> {
              for (Row letter : letters) {
                if (letter.getString(DeadLetter.STAGE).equals(DeadLetter.Stage.VALIDATE)) {
                  assertEquals(
                      Instant.parse("2026-01-01T00:00:05Z"),
                      letter.getDateTime(DeadLetter.EVENT_TIME).toInstant());
                } else {
                  assertNull(letter.getDateTime(DeadLetter.EVENT_TIME));
                }
              }
              return null;
            });
    pipeline.run();
  }

  @Test
  public void everyRecordReadIsParsedOrDeadLettered() {
    List<String> input = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      input.add(transaction("tx-" + i, Integer.toString(i), "2026-01-01T00:00:05Z"));
    }
    input.addAll(badPayloads().keySet());

    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline.apply(Create.of(input)).apply(ParseEvents.of(FRAUD));

    PAssert.thatSingleton(result.output().apply("CountParsed", Count.globally())).isEqualTo(50L);
    PAssert.thatSingleton(result.failures().apply("CountDeadLetters", Count.globally()))
        .isEqualTo((long) badPayloads().size());
    PCollection<String> payloadsOut =
        PCollectionList.of(
                result
                    .output()
                    .apply(
                        "ParsedBackToId",
                        MapElements.into(TypeDescriptors.strings())
                            .via(r -> "id:" + r.getString("transaction_id"))))
            .and(
                result
                    .failures()
                    .apply(
                        "DeadLetterPayload",
                        MapElements.into(TypeDescriptors.strings())
                            .via(r -> "raw:" + r.getString(DeadLetter.RAW_PAYLOAD))))
            .apply(Flatten.pCollections());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("id:tx-" + i);
    }
    badPayloads().keySet().forEach(raw -> expected.add("raw:" + raw));
    PAssert.that(payloadsOut).containsInAnyOrder(expected);
    pipeline.run();
  }

  @Test
  public void bytesThatAreNotUtf8AreDeadLetteredWithTheirBytes() {
    byte[] bytes = {(byte) 0xff, (byte) 0xfe, 'x'};

    WithFailures.Result<PCollection<Row>, Row> result =
        pipeline.apply(Create.of(RawPayloads.decode(bytes))).apply(ParseEvents.of(FRAUD));

    PAssert.that(result.output()).empty();
    PAssert.that(result.failures())
        .satisfies(
            letters -> {
              Row letter = letters.iterator().next();
              assertEquals(DeadLetter.Stage.PARSE, letter.getString(DeadLetter.STAGE));
              assertEquals(
                  "base64:" + java.util.Base64.getEncoder().encodeToString(bytes),
                  letter.getString(DeadLetter.RAW_PAYLOAD));
              assertThat(letter.getString(DeadLetter.ERROR), containsString("Not UTF-8"));
              return null;
            });
    pipeline.run();
  }
}
