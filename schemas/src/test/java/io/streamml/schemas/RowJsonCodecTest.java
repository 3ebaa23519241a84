package io.streamml.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class RowJsonCodecTest {

  private static final String VALID =
      "{\"transaction_id\":\"tx-1\",\"card_id\":\"card-7\",\"merchant_id\":\"m-3\","
          + "\"merchant_category\":\"grocery\",\"amount\":12.5,\"currency\":\"EUR\","
          + "\"country\":\"DE\",\"channel\":\"pos\",\"event_time\":\"2026-01-01T00:00:05.000Z\","
          + "\"is_fraud\":false}";

  private final RowJsonCodec codec =
      RowJsonCodec.of(UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD).eventSchema());

  @Test
  void parsesAValidEventWithItsTimestamp() {
    Row row = codec.parse(VALID);

    assertEquals("card-7", row.getString("card_id"));
    assertEquals(12.5, row.getDouble("amount"));
    assertEquals(
        Instant.parse("2026-01-01T00:00:05.000Z"), row.getDateTime("event_time").toInstant());
  }

  @Test
  void writesWhatItReads() {
    Row row = codec.parse(VALID);

    assertEquals(row, codec.parse(codec.toJson(row)));
  }

  @Test
  void acceptsAMissingNullableLabel() {
    Row row = codec.parse(VALID.replace(",\"is_fraud\":false", ""));

    assertNull(row.getBoolean("is_fraud"));
  }

  @Test
  void refusesAMissingRequiredField() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class, () -> codec.parse(VALID.replace("\"amount\":12.5,", "")));
    assertTrue(e.getMessage().contains("amount"), e.getMessage());
  }

  @Test
  void refusesAWrongType() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class, () -> codec.parse(VALID.replace("12.5", "\"twelve\"")));
    assertTrue(e.getMessage().contains("amount"), e.getMessage());
  }

  @Test
  void refusesAnUnparseableTimestamp() {
    assertThrows(
        RuntimeException.class,
        () -> codec.parse(VALID.replace("2026-01-01T00:00:05.000Z", "yesterday")));
  }

  @Test
  void refusesNaN() {
    assertThrows(RuntimeException.class, () -> codec.parse(VALID.replace("12.5", "NaN")));
  }

  @Test
  void refusesTruncatedJson() {
    assertThrows(RuntimeException.class, () -> codec.parse(VALID.substring(0, 40)));
  }
}
