package io.sidstream.ingest.publish;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the ingest producers write to Kafka ({@code ingest.publish}).
 *
 * @param clientId        client.id prefix of the producers
 * @param deliveryTimeout how long one send may take, retries included, before it counts as failed
 */
public record PublishConfig(String clientId, Duration deliveryTimeout) {

    public PublishConfig {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("ingest.publish.client-id must not be empty");
        }
        if (deliveryTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException(
                    "ingest.publish.delivery-timeout must be at least 1s, was " + deliveryTimeout);
        }
    }

    public static PublishConfig from(Config ingest) {
        return new PublishConfig(ingest.getString("publish.client-id"), ingest.getDuration("publish.delivery-timeout"));
    }
}
