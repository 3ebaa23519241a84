package io.streamml.pipelines.options;

import io.streamml.transforms.io.KafkaClientProperties;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Kafka client settings for every consumer and producer a command builds (TLS, SASL, timeouts): a
 * properties file, and inline pairs that win over it. Keep secrets out of the command line (it is
 * visible to other users and in the runner's job options): put them in the file, or let Kafka's
 * config providers read them, e.g. {@code config.providers=env} with {@code
 * config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider} and
 * {@code sasl.jaas.config=${env:KAFKA_JAAS}}. See docs/kafka.md.
 */
public interface KafkaClientOptions extends PipelineOptions {

  @Description(
      "A Java properties file of Kafka client settings (security.protocol, ssl.*, sasl.*,"
          + " timeouts) for every Kafka consumer and producer; read when the job is built.")
  String getKafkaPropertiesFile();

  void setKafkaPropertiesFile(String value);

  @Description(
      "Kafka client settings as key=value, comma-separated (they win over --kafkaPropertiesFile),"
          + " e.g. security.protocol=SSL,request.timeout.ms=60000. No secrets here: use the file.")
  List<String> getKafkaProperties();

  void setKafkaProperties(List<String> value);

  /** The settings of both flags. */
  static Map<String, String> clientProperties(KafkaClientOptions options) {
    return KafkaClientProperties.read(
        options.getKafkaPropertiesFile(), options.getKafkaProperties());
  }
}
