package io.streamml.transforms.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Kafka client settings users pass through to every consumer and producer we build: TLS, SASL,
 * timeouts, and Kafka's own config providers, so secrets can stay in files or environment variables
 * ({@code config.providers=file} and {@code ${file:/path/secrets.properties:password}}). Read from
 * a Java properties file and from inline {@code key=value} pairs (which win). Values are never
 * printed: {@link #redacted} hides those whose key names a secret.
 */
public final class KafkaClientProperties {

  private static final List<String> SECRET_KEY_PARTS =
      List.of("password", "secret", "jaas", "token", "credential", "key");

  private KafkaClientProperties() {}

  /**
   * The settings of {@code file} (if any), then of {@code pairs} ({@code key=value} each); a
   * missing file or a pair without '=' or key is an {@link IllegalArgumentException} naming it.
   */
  public static Map<String, String> read(@Nullable String file, @Nullable List<String> pairs) {
    Map<String, String> settings = new TreeMap<>();
    if (file != null && !file.isBlank()) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("Kafka properties file " + file + " does not exist");
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Kafka properties file " + file + " cannot be read: " + e.getMessage());
      }
      properties.stringPropertyNames().forEach(k -> settings.put(k, properties.getProperty(k)));
    }
    if (pairs != null) {
      for (String pair : pairs) {
        int equals = pair.indexOf('=');
        if (equals <= 0) {
          throw new IllegalArgumentException(
              "Kafka property '" + pair + "' is not key=value (e.g. security.protocol=SSL)");
        }
        settings.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
      }
    }
    return settings;
  }

  /** Refuses settings the caller sets itself, naming them. */
  public static void checkNotOwned(Map<String, String> settings, List<String> owned) {
    List<String> clashes = new ArrayList<>();
    for (String key : settings.keySet()) {
      if (owned.contains(key)) {
        clashes.add(key);
      }
    }
    if (!clashes.isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka properties "
              + clashes
              + " are set by streamml itself (use its flags, e.g. --bootstrapServers,"
              + " --consumerGroup, --startOffset); leave them out of the Kafka properties");
    }
  }

  /** The settings as text safe to print or log: values of secret-looking keys as [hidden]. */
  public static String redacted(Map<String, String> settings) {
    Map<String, String> shown = new TreeMap<>();
    settings.forEach((k, v) -> shown.put(k, isSecret(k) ? "[hidden]" : v));
    return shown.toString();
  }

  static boolean isSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return SECRET_KEY_PARTS.stream().anyMatch(lower::contains);
  }
}
