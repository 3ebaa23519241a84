package io.streamml.transforms.alerts;

import io.streamml.schemas.Alert;
import io.streamml.schemas.AlertRule;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.Reason;
import io.streamml.schemas.UseCaseSpec;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Rule alerts: an {@link Alert} (kind {@code rule}) for every FeatureVector and every alert rule of
 * the use-case spec it breaks (a feature above or below a fixed limit), with the feature and its
 * value as the reason. Needs no model, so a use case can alert before one is trained. Element-wise:
 * keeps timestamps and windows; a missing feature never fires. Counts {@code rule_alerts}.
 */
public final class AlertOnRules extends PTransform<PCollection<Row>, PCollection<Row>> {

  public static final String METRICS_NAMESPACE = "streamml.alerts";

  private final List<AlertRule> rules;

  private AlertOnRules(List<AlertRule> rules) {
    this.rules = rules;
  }

  /** The spec's rules ({@link UseCaseSpec#alertRules()}), possibly none. */
  public static AlertOnRules of(UseCaseSpec spec) {
    return new AlertOnRules(spec.alertRules());
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> vectors) {
    if (!rules.isEmpty()) {
      var features = vectors.getSchema().getField(FeatureVector.FEATURES).getType().getRowSchema();
      for (AlertRule rule : rules) {
        if (!features.hasField(rule.feature())) {
          throw new IllegalArgumentException(
              "Alert rule '"
                  + rule.name()
                  + "' reads feature '"
                  + rule.feature()
                  + "', which the vectors lack; they have "
                  + features.getFieldNames());
        }
      }
    }
    return vectors
        .apply("RaiseRuleAlerts", ParDo.of(new RulesFn(rules)))
        .setRowSchema(Alert.SCHEMA);
  }

  private static final class RulesFn extends DoFn<Row, Row> {
    private final List<AlertRule> rules;
    private final Counter alerts = Metrics.counter(METRICS_NAMESPACE, "rule_alerts");

    RulesFn(List<AlertRule> rules) {
      this.rules = rules;
    }

    @ProcessElement
    public void process(@Element Row vector, OutputReceiver<Row> out) {
      Row features = vector.getRow(FeatureVector.FEATURES);
      for (AlertRule rule : rules) {
        Object raw = features.getValue(rule.feature());
        Double value = raw == null ? null : ((Number) raw).doubleValue();
        if (rule.firesOn(value)) {
          alerts.inc();
          out.output(
              Alert.of(
                  vector.getString(FeatureVector.KEY),
                  vector.getString(FeatureVector.EVENT_ID),
                  vector.getDateTime(FeatureVector.FEATURE_TIME).toInstant(),
                  Alert.Kind.RULE,
                  rule.name(),
                  value,
                  rule.crossedLimit(value),
                  List.of(Reason.of(rule.feature(), value, null))));
        }
      }
    }
  }
}
