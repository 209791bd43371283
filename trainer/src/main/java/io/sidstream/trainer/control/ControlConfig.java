package io.sidstream.trainer.control;

import io.sidstream.core.config.SidstreamConfig;
import java.time.Duration;

/**
 * {@code trainer.control}: whether a running trainer takes cycle requests from {@code trainer-control}, and how old a
 * request may be when it is read (one sent long before a restart is stale).
 *
 * @param modelName the model line this trainer trains ({@code publisher.checkpoint.model-name}); requests for other
 *                  lines are not its own
 */
public record ControlConfig(boolean enabled, Duration maxAge, Duration pollTimeout, String groupId, String modelName) {

    public ControlConfig {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("trainer.control.max-age must be positive, got " + maxAge);
        }
        if (groupId.isBlank() || modelName.isBlank()) {
            throw new IllegalArgumentException(
                    "trainer.control.group-id and publisher.checkpoint.model-name must not be empty");
        }
    }

    public static ControlConfig from(SidstreamConfig config) {
        var control = config.section("trainer.control");
        return new ControlConfig(
                control.getBoolean("enabled"),
                control.getDuration("max-age"),
                control.getDuration("poll-timeout"),
                control.getString("group-id"),
                config.section("publisher.checkpoint").getString("model-name"));
    }
}
