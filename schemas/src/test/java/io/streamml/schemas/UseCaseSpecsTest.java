package io.streamml.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UseCaseSpecsTest {

  @Test
  void fraudSpecHasTheTransactionFieldsAndRoles() {
    UseCaseSpec fraud = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);

    assertEquals("transaction_id", fraud.idField());
    assertEquals("card_id", fraud.keyField());
    assertEquals("event_time", fraud.eventTimeField());
    assertEquals("is_fraud", fraud.labelField());
    Schema schema = fraud.eventSchema();
    assertEquals(
        java.util.List.of(
            "transaction_id",
            "card_id",
            "merchant_id",
            "merchant_category",
            "amount",
            "currency",
            "country",
            "channel",
            "event_time",
            "is_fraud"),
        schema.getFieldNames());
    assertEquals(Schema.FieldType.DATETIME, schema.getField("event_time").getType());
    assertTrue(schema.getField("is_fraud").getType().getNullable());
  }

  @Test
  void maintenanceSpecHasTheTelemetryFieldsAndRoles() {
    UseCaseSpec maintenance = UseCaseSpecs.builtIn(UseCaseSpecs.MAINTENANCE);

    assertEquals("machine_id", maintenance.keyField());
    assertEquals("failure_within_horizon", maintenance.labelField());
    assertEquals(Schema.FieldType.DOUBLE, maintenance.eventSchema().getField("torque").getType());
  }

  @Test
  void specRoundTripsThroughJson() {
    UseCaseSpec fraud = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);

    assertEquals(fraud, UseCaseSpecs.parse(UseCaseSpecs.toJson(fraud), "round trip"));
  }

  @Test
  void builderMakesTheSameSpecAsJson(@TempDir Path dir) throws Exception {
    UseCaseSpec built =
        UseCaseSpec.builder("clicks")
            .idField("id")
            .keyField("user")
            .eventTimeField("ts")
            .field(FieldSpec.of("id", FieldSpec.Type.STRING))
            .field(FieldSpec.of("user", FieldSpec.Type.STRING))
            .field(FieldSpec.of("ts", FieldSpec.Type.TIMESTAMP))
            .field(FieldSpec.of("dwell", FieldSpec.Type.DOUBLE).withRange(0.0, null))
            .build();
    Path file = dir.resolve("clicks.json");
    Files.writeString(file, UseCaseSpecs.toJson(built));

    assertEquals(built, UseCaseSpecs.fromFile(file));
  }

  @Test
  void yamlFileGivesTheSameSpecAsJson(@TempDir Path dir) throws Exception {
    UseCaseSpec maintenance = UseCaseSpecs.builtIn(UseCaseSpecs.MAINTENANCE);
    Path file = dir.resolve("maintenance.yaml");
    Files.writeString(file, UseCaseSpecs.toYaml(maintenance));

    assertTrue(Files.readString(file).contains("shape: \"PER_WINDOW\""), Files.readString(file));
    assertEquals(maintenance, UseCaseSpecs.fromFile(file));
  }

  @Test
  void unknownBuiltInNamesTheChoices() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> UseCaseSpecs.builtIn("weather"));
    assertEquals(
        "Unknown use case 'weather'; built-in use cases are [fraud, maintenance]", e.getMessage());
  }

  @Test
  void specNamingAMissingKeyFieldIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                UseCaseSpec.builder("broken")
                    .idField("id")
                    .keyField("nope")
                    .eventTimeField("ts")
                    .field(FieldSpec.of("id", FieldSpec.Type.STRING))
                    .field(FieldSpec.of("ts", FieldSpec.Type.TIMESTAMP))
                    .build());
    assertEquals(
        "Use-case spec 'broken' names keyField 'nope', which is not one of its fields",
        e.getMessage());
  }

  @Test
  void specWithUnknownPropertyIsRefusedWithItsName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                UseCaseSpecs.parse(
                    UseCaseSpecs.toJson(UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD))
                        .replaceFirst("\\{", "{\"keyFeild\": \"card\","),
                    "x.json"));
    assertTrue(e.getMessage().startsWith("Invalid use-case spec x.json: "), e.getMessage());
    assertTrue(e.getMessage().contains("keyFeild"), e.getMessage());
  }

  @Test
  void missingSpecFileIsOneClearError(@TempDir Path dir) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UseCaseSpecs.fromFile(dir.resolve("missing.json")));
    assertEquals("Use-case spec file not found: " + dir.resolve("missing.json"), e.getMessage());
  }
}
