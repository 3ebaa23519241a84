package io.streamml.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Loads use-case specs: the built-in ones by name, or a user's spec from a JSON file. */
public final class UseCaseSpecs {

  /** Card-payment fraud: one event per card transaction, keyed by card. */
  public static final String FRAUD = "fraud";

  /** Machine predictive maintenance: one telemetry reading per machine per interval. */
  public static final String MAINTENANCE = "maintenance";

  public static final List<String> BUILT_IN = List.of(FRAUD, MAINTENANCE);

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private static final ObjectMapper YAML_MAPPER =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private UseCaseSpecs() {}

  /** A built-in spec by name ({@link #FRAUD}, {@link #MAINTENANCE}). */
  public static UseCaseSpec builtIn(String name) {
    String resource = "usecases/" + name + ".json";
    try (InputStream in = UseCaseSpecs.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "Unknown use case '" + name + "'; built-in use cases are " + BUILT_IN);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A spec from a JSON or YAML ({@code .yaml}, {@code .yml}) file on the local filesystem. */
  public static UseCaseSpec fromFile(Path file) {
    try {
      String name = file.getFileName().toString();
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        return parse(YAML_MAPPER, Files.readString(file), file.toString());
      }
      return parse(Files.readString(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("Use-case spec file not found: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read use-case spec " + file, e);
    }
  }

  /** A spec from its JSON text; {@code origin} names it in error messages. */
  public static UseCaseSpec parse(String json, String origin) {
    return parse(MAPPER, json, origin);
  }

  private static UseCaseSpec parse(ObjectMapper mapper, String text, String origin) {
    try {
      return mapper.readValue(text, UseCaseSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Invalid use-case spec " + origin + ": " + e.getOriginalMessage());
    }
  }

  /** The spec as YAML, e.g. to start a new use case from a built-in one. */
  public static String toYaml(UseCaseSpec spec) {
    try {
      return YAML_MAPPER.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write spec " + spec.name(), e);
    }
  }

  public static String toJson(UseCaseSpec spec) {
    try {
      return MAPPER.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write spec " + spec.name(), e);
    }
  }
}
