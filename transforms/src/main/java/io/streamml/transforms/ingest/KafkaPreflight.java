package io.streamml.transforms.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.joda.time.Duration;

/**
 * Checks, before a job is built, that a Kafka source's brokers answer and its topics exist, with a
 * bounded number of tries: a wrong address or a broker that is down is one clear error within
 * seconds, instead of a job whose readers retry forever (or fail a minute later with a client
 * timeout deep in a runner's log).
 */
public final class KafkaPreflight {

  private KafkaPreflight() {}

  /**
   * Describes the config's topics, up to {@code attempts} times of {@code perAttempt} each; an
   * IllegalArgumentException says which brokers or topic, and how long it waited.
   */
  public static void check(KafkaSourceConfig config, int attempts, Duration perAttempt) {
    if (attempts < 1 || perAttempt.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "Kafka connect attempts must be at least 1 and their timeout above 0");
    }
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, perAttempt.getMillis());
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    Throwable last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try (Admin admin = Admin.create(props)) {
        admin
            .describeTopics(config.topics(), new DescribeTopicsOptions().timeoutMs(timeoutMs))
            .allTopicNames()
            .get(timeoutMs + 1000L, TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          throw new IllegalArgumentException(
              "Kafka topic(s) "
                  + config.topics()
                  + " not found at "
                  + config.bootstrapServers()
                  + ": "
                  + e.getCause().getMessage());
        }
        if (e.getCause() instanceof AuthenticationException
            || e.getCause() instanceof AuthorizationException) {
          // Credentials do not get better by retrying. Kafka's message names no secret.
          throw new IllegalArgumentException(
              "Kafka at "
                  + config.bootstrapServers()
                  + " refused this client ("
                  + e.getCause().getClass().getSimpleName()
                  + ": "
                  + e.getCause().getMessage()
                  + "); check the security settings in --kafkaPropertiesFile");
        }
        last = e.getCause();
      } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while checking Kafka", e);
      }
    }
    throw new IllegalArgumentException(
        String.format(
            "Kafka at %s did not answer in %d tries of %d s each (%s); check --bootstrapServers"
                + " and that the brokers are up",
            config.bootstrapServers(),
            attempts,
            Math.max(1, timeoutMs / 1000),
            last == null
                ? "no reply"
                : last.getClass().getSimpleName() + ": " + last.getMessage()));
  }
}
