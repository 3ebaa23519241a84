package io.streamml.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.schemas.Schema;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reference data joined to each event, e.g. a merchant risk table: rows of a JSON-lines file keyed
 * by {@code referenceKey}, looked up by the event's {@code lookupField}, adding {@code fields} to
 * the event. Events whose key is not in the table get {@code defaults} (null if none). The file is
 * re-read every {@code refreshSeconds} on unbounded input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class EnrichmentSpec implements Serializable {

  private final String name;
  private final String lookupField;
  private final String referenceKey;
  private final List<FieldSpec> fields;
  private final Map<String, Object> defaults;
  private final @Nullable String path;
  private final long refreshSeconds;

  @JsonCreator
  public EnrichmentSpec(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "lookupField", required = true) String lookupField,
      @JsonProperty("referenceKey") @Nullable String referenceKey,
      @JsonProperty(value = "fields", required = true) List<FieldSpec> fields,
      @JsonProperty("defaults") @Nullable Map<String, Object> defaults,
      @JsonProperty("path") @Nullable String path,
      @JsonProperty("refreshSeconds") @Nullable Long refreshSeconds) {
    this.name = Objects.requireNonNull(name, "enrichment name");
    this.lookupField = Objects.requireNonNull(lookupField, "lookupField of " + name);
    this.referenceKey = referenceKey == null ? lookupField : referenceKey;
    this.fields = List.copyOf(Objects.requireNonNull(fields, "fields of " + name));
    this.defaults = defaults == null ? Map.of() : new LinkedHashMap<>(defaults);
    this.path = path;
    this.refreshSeconds = refreshSeconds == null ? 300 : refreshSeconds;
    if (this.fields.isEmpty()) {
      throw new IllegalArgumentException("Enrichment '" + name + "' adds no fields");
    }
    for (String field : this.defaults.keySet()) {
      if (this.fields.stream().noneMatch(f -> f.name().equals(field))) {
        throw new IllegalArgumentException(
            "Enrichment '" + name + "' has a default for '" + field + "', not one of its fields");
      }
    }
    if (this.refreshSeconds <= 0) {
      throw new IllegalArgumentException("Enrichment '" + name + "': refreshSeconds must be > 0");
    }
  }

  @JsonProperty("name")
  public String name() {
    return name;
  }

  @JsonProperty("lookupField")
  public String lookupField() {
    return lookupField;
  }

  @JsonProperty("referenceKey")
  public String referenceKey() {
    return referenceKey;
  }

  @JsonProperty("fields")
  public List<FieldSpec> fields() {
    return fields;
  }

  @JsonProperty("defaults")
  public Map<String, Object> defaults() {
    return defaults;
  }

  /** The reference file's default location; pipelines may give another. */
  @JsonProperty("path")
  public @Nullable String path() {
    return path;
  }

  @JsonProperty("refreshSeconds")
  public long refreshSeconds() {
    return refreshSeconds;
  }

  /** The schema of one reference row: the key, then the added fields (all nullable). */
  public Schema referenceSchema() {
    Schema.Builder builder = Schema.builder().addStringField(referenceKey);
    for (FieldSpec field : fields) {
      builder.addNullableField(field.name(), field.type().beamType());
    }
    return builder.build();
  }

  /** The added fields, as nullable schema fields of the enriched event. */
  List<Schema.Field> addedFields() {
    List<Schema.Field> added = new ArrayList<>();
    for (FieldSpec field : fields) {
      added.add(Schema.Field.nullable(field.name(), field.type().beamType()));
    }
    return added;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof EnrichmentSpec)) {
      return false;
    }
    EnrichmentSpec that = (EnrichmentSpec) o;
    return name.equals(that.name)
        && lookupField.equals(that.lookupField)
        && referenceKey.equals(that.referenceKey)
        && fields.equals(that.fields)
        && defaults.equals(that.defaults)
        && Objects.equals(path, that.path)
        && refreshSeconds == that.refreshSeconds;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, lookupField, referenceKey, fields, defaults, path, refreshSeconds);
  }
}
