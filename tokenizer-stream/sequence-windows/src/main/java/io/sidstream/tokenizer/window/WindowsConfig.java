package io.sidstream.tokenizer.window;

import com.typesafe.config.Config;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.flink.job.StateBackendSettings;
import io.sidstream.schemas.EventType;
import java.io.Serializable;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code windows.*} section: how the sequence-windows job joins, remembers and emits; its state backend ({@link
 * StateBackendSettings#CLUSTERS}: the cluster's) and max parallelism.
 */
public record WindowsConfig(
        String groupId,
        String transactionalIdPrefix,
        int historyLength,
        Set<EventType> historyExcludedEventTypes,
        Duration unresolvedTimeout,
        Duration outOfOrderness,
        Duration allowedLateness,
        Duration sourceIdleness,
        Duration dedupHorizon,
        Duration userTtl,
        PositiveRule positiveRule,
        boolean fileSinkEnabled,
        String fileSinkPath,
        String stateBackend,
        int maxParallelism)
        implements Serializable {

    public WindowsConfig {
        require(!groupId.isBlank(), "windows.group-id must not be blank");
        require(!transactionalIdPrefix.isBlank(), "windows.transactional-id-prefix must not be blank");
        require(
                historyLength >= 1 && historyLength <= 10_000,
                "windows.history-length must be 1..10000, got " + historyLength);
        historyExcludedEventTypes = Set.copyOf(historyExcludedEventTypes);
        positive("windows.unresolved-timeout", unresolvedTimeout);
        notNegative("windows.out-of-orderness", outOfOrderness);
        notNegative("windows.allowed-lateness", allowedLateness);
        positive("windows.source-idleness", sourceIdleness);
        positive("windows.dedup-horizon", dedupHorizon);
        positive("windows.user-ttl", userTtl);
        require(
                !fileSinkEnabled || !fileSinkPath.isBlank(),
                "windows.file-sink.path must be set when the file sink is enabled");
        require(
                StateBackendSettings.isValid(stateBackend),
                "windows.state-backend must be rocksdb or hashmap (or unset for the cluster's), got '" + stateBackend
                        + "'");
        require(
                maxParallelism >= 1 && maxParallelism <= 32768,
                "windows.max-parallelism must be 1..32768, got " + maxParallelism);
    }

    public static WindowsConfig from(SidstreamConfig config) {
        Config c = config.section("windows");
        return new WindowsConfig(
                c.getString("group-id"),
                c.getString("transactional-id-prefix"),
                c.getInt("history-length"),
                eventTypes("windows.history-excluded-event-types", c.getStringList("history-excluded-event-types")),
                c.getDuration("unresolved-timeout"),
                c.getDuration("out-of-orderness"),
                c.getDuration("allowed-lateness"),
                c.getDuration("source-idleness"),
                c.getDuration("dedup-horizon"),
                c.getDuration("user-ttl"),
                new PositiveRule(
                        c.getDouble("positive.min-watch-fraction"),
                        eventTypes("windows.positive.event-types", c.getStringList("positive.event-types"))),
                c.getBoolean("file-sink.enabled"),
                c.getString("file-sink.path"),
                StateBackendSettings.fromSection(c),
                c.getInt("max-parallelism"));
    }

    /** The defaults of reference.conf, for tests and benchmarks that change a few values. */
    public static WindowsConfig defaults() {
        return from(ConfigLoader.defaults());
    }

    public boolean entersHistory(EventType type) {
        return !historyExcludedEventTypes.contains(type);
    }

    static Set<EventType> eventTypes(String key, List<String> names) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String name : names) {
            try {
                types.add(EventType.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        key + ": unknown event type '" + name + "', expected one of " + List.of(EventType.values()), e);
            }
        }
        return types;
    }

    private static void positive(String key, Duration value) {
        require(!value.isNegative() && !value.isZero(), key + " must be positive, got " + value);
    }

    private static void notNegative(String key, Duration value) {
        require(!value.isNegative(), key + " must not be negative, got " + value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
