package io.streamml.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.streamml.schemas.features.FeatureDefinition;
import io.streamml.schemas.features.FeatureSetSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.schemas.Schema;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What streamml needs to know about a use case: its event fields and which of them is the id, the
 * entity key, the event time and the label. Every transform is generic over this spec, so a new use
 * case is a new spec (a JSON file or this builder), not a new pipeline.
 *
 * <p>Instances are immutable and validated on construction: a spec that names a missing field fails
 * with a message naming it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "name",
  "description",
  "idField",
  "keyField",
  "eventTimeField",
  "labelField",
  "fields",
  "enrichments",
  "features",
  "alertRules",
  "drift"
})
public final class UseCaseSpec implements Serializable {

  private final String name;
  private final String description;
  private final String idField;
  private final String keyField;
  private final String eventTimeField;
  private final @Nullable String labelField;
  private final List<FieldSpec> fields;
  private final List<EnrichmentSpec> enrichments;
  private final @Nullable FeatureSetSpec features;
  private final List<AlertRule> alertRules;
  private final @Nullable DriftSpec drift;
  private transient @Nullable Schema eventSchema;
  private transient @Nullable Schema enrichedSchema;

  @JsonCreator
  public UseCaseSpec(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty("description") @Nullable String description,
      @JsonProperty(value = "idField", required = true) String idField,
      @JsonProperty(value = "keyField", required = true) String keyField,
      @JsonProperty(value = "eventTimeField", required = true) String eventTimeField,
      @JsonProperty("labelField") @Nullable String labelField,
      @JsonProperty(value = "fields", required = true) List<FieldSpec> fields,
      @JsonProperty("enrichments") @Nullable List<EnrichmentSpec> enrichments,
      @JsonProperty("features") @Nullable FeatureSetSpec features,
      @JsonProperty("alertRules") @Nullable List<AlertRule> alertRules,
      @JsonProperty("drift") @Nullable DriftSpec drift) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A use-case spec needs a name");
    }
    this.name = name;
    this.description = description == null ? "" : description;
    this.fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
    this.idField = idField;
    this.keyField = keyField;
    this.eventTimeField = eventTimeField;
    this.labelField = labelField;
    this.enrichments = enrichments == null ? List.of() : List.copyOf(enrichments);
    this.features = features;
    this.alertRules = alertRules == null ? List.of() : List.copyOf(alertRules);
    this.drift = drift;
    validate();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  private void validate() {
    Map<String, FieldSpec> byName = new LinkedHashMap<>();
    for (FieldSpec field : fields) {
      if (byName.put(field.name(), field) != null) {
        throw invalid("declares field '" + field.name() + "' twice");
      }
    }
    requireField(byName, "idField", idField, FieldSpec.Type.STRING);
    requireField(byName, "keyField", keyField, FieldSpec.Type.STRING);
    requireField(byName, "eventTimeField", eventTimeField, FieldSpec.Type.TIMESTAMP);
    if (labelField != null) {
      requireField(byName, "labelField", labelField, null);
    }
    Map<String, FieldSpec> enriched = new LinkedHashMap<>(byName);
    for (EnrichmentSpec enrichment : enrichments) {
      if (!byName.containsKey(enrichment.lookupField())) {
        throw invalid(
            "enrichment '"
                + enrichment.name()
                + "' looks up unknown field '"
                + enrichment.lookupField()
                + "'");
      }
      for (FieldSpec field : enrichment.fields()) {
        if (enriched.put(field.name(), field) != null) {
          throw invalid("enrichment '" + enrichment.name() + "' adds '" + field.name() + "' twice");
        }
      }
    }
    if (features != null) {
      validateFeatures(enriched);
    }
    validateAlertRules();
    if (drift != null) {
      validateDrift(enriched);
    }
  }

  private void validateDrift(Map<String, FieldSpec> fieldsByName) {
    if (drift.segmentField() != null && !fieldsByName.containsKey(drift.segmentField())) {
      throw invalid(
          "drift.segmentField '"
              + drift.segmentField()
              + "' is not one of its fields "
              + fieldsByName.keySet());
    }
    List<String> featureNames = features == null ? List.of() : features.names();
    for (String feature : drift.featureThresholds().keySet()) {
      if (!featureNames.contains(feature)) {
        throw invalid(
            "drift.featureThresholds names unknown feature '"
                + feature
                + "'; its features are "
                + featureNames);
      }
    }
  }

  private void validateAlertRules() {
    List<String> featureNames = features == null ? List.of() : features.names();
    List<String> ruleNames = new ArrayList<>();
    for (AlertRule rule : alertRules) {
      if (ruleNames.contains(rule.name())) {
        throw invalid("declares alert rule '" + rule.name() + "' twice");
      }
      ruleNames.add(rule.name());
      if (!featureNames.contains(rule.feature())) {
        throw invalid(
            "alert rule '"
                + rule.name()
                + "' reads unknown feature '"
                + rule.feature()
                + "'; rules read the spec's features "
                + featureNames);
      }
    }
  }

  private void validateFeatures(Map<String, FieldSpec> byName) {
    for (FeatureDefinition feature : features.definitions()) {
      String input = feature.field();
      if (input != null) {
        FieldSpec field = byName.get(input);
        if (field == null) {
          throw invalid("feature '" + feature.name() + "' reads unknown field '" + input + "'");
        }
        if (feature.aggregation().needsNumericField() && !field.type().isNumeric()) {
          throw invalid(
              "feature '"
                  + feature.name()
                  + "' needs a numeric field, but '"
                  + input
                  + "' is "
                  + field.type());
        }
      }
      if (feature.filter() != null && !byName.containsKey(feature.filter().field())) {
        throw invalid(
            "feature '"
                + feature.name()
                + "' filters on unknown field '"
                + feature.filter().field()
                + "'");
      }
    }
  }

  private void requireField(
      Map<String, FieldSpec> byName, String role, String fieldName, FieldSpec.@Nullable Type type) {
    if (fieldName == null) {
      throw invalid("has no " + role);
    }
    FieldSpec field = byName.get(fieldName);
    if (field == null) {
      throw invalid("names " + role + " '" + fieldName + "', which is not one of its fields");
    }
    if (type != null && field.type() != type) {
      throw invalid(role + " '" + fieldName + "' must be " + type + ", not " + field.type());
    }
  }

  private IllegalArgumentException invalid(String problem) {
    return new IllegalArgumentException("Use-case spec '" + name + "' " + problem);
  }

  @JsonProperty("name")
  public String name() {
    return name;
  }

  @JsonProperty("description")
  public String description() {
    return description;
  }

  @JsonProperty("idField")
  public String idField() {
    return idField;
  }

  @JsonProperty("keyField")
  public String keyField() {
    return keyField;
  }

  @JsonProperty("eventTimeField")
  public String eventTimeField() {
    return eventTimeField;
  }

  @JsonProperty("labelField")
  public @Nullable String labelField() {
    return labelField;
  }

  @JsonProperty("fields")
  public List<FieldSpec> fields() {
    return fields;
  }

  /** The declared features, or null if the spec declares none. */
  @JsonProperty("features")
  public @Nullable FeatureSetSpec features() {
    return features;
  }

  /** How drift is judged (thresholds, segment); null = the defaults. */
  @JsonProperty("drift")
  public @Nullable DriftSpec drift() {
    return drift;
  }

  /** Reference data joined to each event before features, in order. */
  @JsonProperty("enrichments")
  public List<EnrichmentSpec> enrichments() {
    return enrichments;
  }

  /** Rule alerts on the features: a feature beyond a fixed limit; empty if none. */
  @JsonProperty("alertRules")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public List<AlertRule> alertRules() {
    return alertRules;
  }

  /** A copy of this spec with other alert rules. */
  public UseCaseSpec withAlertRules(List<AlertRule> alertRules) {
    return new UseCaseSpec(
        name,
        description,
        idField,
        keyField,
        eventTimeField,
        labelField,
        fields,
        enrichments,
        features,
        alertRules,
        drift);
  }

  /** A copy of this spec with other drift settings. */
  public UseCaseSpec withDrift(@Nullable DriftSpec drift) {
    return new UseCaseSpec(
        name,
        description,
        idField,
        keyField,
        eventTimeField,
        labelField,
        fields,
        enrichments,
        features,
        alertRules,
        drift);
  }

  /** A copy of this spec with other features (e.g. an experiment's). */
  public UseCaseSpec withFeatures(@Nullable FeatureSetSpec features) {
    return new UseCaseSpec(
        name,
        description,
        idField,
        keyField,
        eventTimeField,
        labelField,
        fields,
        enrichments,
        features,
        features == null ? List.of() : alertRules,
        features == null ? null : drift);
  }

  /** The schema of an event after enrichment: its fields, then each enrichment's fields. */
  public Schema enrichedSchema() {
    Schema schema = enrichedSchema;
    if (schema == null) {
      Schema.Builder builder = Schema.builder().addFields(eventSchema().getFields());
      enrichments.forEach(e -> builder.addFields(e.addedFields()));
      schema = builder.build();
      enrichedSchema = schema;
    }
    return schema;
  }

  public FieldSpec field(String fieldName) {
    for (FieldSpec field : fields) {
      if (field.name().equals(fieldName)) {
        return field;
      }
    }
    throw invalid("has no field '" + fieldName + "'");
  }

  /** The Beam schema of a parsed event, fields in declaration order. */
  public Schema eventSchema() {
    Schema schema = eventSchema;
    if (schema == null) {
      Schema.Builder builder = Schema.builder();
      fields.forEach(field -> builder.addField(field.toBeamField()));
      schema = builder.build();
      eventSchema = schema;
    }
    return schema;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof UseCaseSpec)) {
      return false;
    }
    UseCaseSpec that = (UseCaseSpec) o;
    return name.equals(that.name)
        && description.equals(that.description)
        && idField.equals(that.idField)
        && keyField.equals(that.keyField)
        && eventTimeField.equals(that.eventTimeField)
        && Objects.equals(labelField, that.labelField)
        && fields.equals(that.fields)
        && enrichments.equals(that.enrichments)
        && Objects.equals(features, that.features)
        && alertRules.equals(that.alertRules)
        && Objects.equals(drift, that.drift);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, idField, keyField, eventTimeField, labelField, fields);
  }

  @Override
  public String toString() {
    return "UseCaseSpec{" + name + ", fields=" + fields + "}";
  }

  /** Builds a spec in Java; the equivalent of a spec JSON file. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private @Nullable String idField;
    private @Nullable String keyField;
    private @Nullable String eventTimeField;
    private @Nullable String labelField;
    private final List<FieldSpec> fields = new ArrayList<>();
    private final List<EnrichmentSpec> enrichments = new ArrayList<>();
    private @Nullable FeatureSetSpec features;
    private final List<AlertRule> alertRules = new ArrayList<>();
    private @Nullable DriftSpec drift;

    private Builder(String name) {
      this.name = name;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder idField(String idField) {
      this.idField = idField;
      return this;
    }

    public Builder keyField(String keyField) {
      this.keyField = keyField;
      return this;
    }

    public Builder eventTimeField(String eventTimeField) {
      this.eventTimeField = eventTimeField;
      return this;
    }

    public Builder labelField(String labelField) {
      this.labelField = labelField;
      return this;
    }

    public Builder field(FieldSpec field) {
      fields.add(field);
      return this;
    }

    public Builder enrichment(EnrichmentSpec enrichment) {
      enrichments.add(enrichment);
      return this;
    }

    public Builder features(FeatureSetSpec features) {
      this.features = features;
      return this;
    }

    public Builder alertRule(AlertRule rule) {
      alertRules.add(rule);
      return this;
    }

    public Builder drift(DriftSpec drift) {
      this.drift = drift;
      return this;
    }

    public UseCaseSpec build() {
      return new UseCaseSpec(
          name,
          description,
          idField,
          keyField,
          eventTimeField,
          labelField,
          fields,
          enrichments,
          features,
          alertRules,
          drift);
    }
  }
}
