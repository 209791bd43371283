package io.sidstream.flink.job;

import com.typesafe.config.Config;
import io.sidstream.core.config.SidstreamConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * The {@code flink.*} section: how every sidstream job checkpoints, delivers and restarts.
 *
 * <p>Parallelism, checkpoint storage and the restart strategy are the cluster's to decide (its configuration,
 * {@code flink run -p}, the operator's {@code job.parallelism}): they are empty unless sidstream's configuration sets
 * them, and a job sets only what is present. A MiniCluster that sidstream starts itself has no settings of its own,
 * so {@link MiniClusterDefaults} fills the gaps there.
 */
public record FlinkJobConfig(
        Duration checkpointInterval,
        DeliveryGuarantee delivery,
        Optional<String> checkpointDir,
        Optional<String> restoreFrom,
        Duration bufferTimeout,
        Optional<Integer> parallelism,
        Optional<Integer> restartAttempts,
        Duration restartDelay,
        Duration transactionTimeout,
        long managedMemoryBytes,
        int metricsPort)
        implements Serializable {

    public FlinkJobConfig {
        if (checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException(
                    "flink.checkpoint-interval must be at least 10ms, got " + checkpointInterval);
        }
        if (delivery == DeliveryGuarantee.NONE) {
            throw new IllegalArgumentException("flink.delivery must be exactly-once or at-least-once");
        }
        if (bufferTimeout.isNegative()) {
            throw new IllegalArgumentException("flink.buffer-timeout must not be negative, got " + bufferTimeout);
        }
        if (parallelism.isPresent() && parallelism.get() < 1) {
            throw new IllegalArgumentException("flink.parallelism must be at least 1, got " + parallelism.get());
        }
        if (restartAttempts.isPresent() && restartAttempts.get() < 0) {
            throw new IllegalArgumentException(
                    "flink.restart-attempts must not be negative, got " + restartAttempts.get());
        }
        if (checkpointDir.isPresent() && checkpointDir.get().isBlank()) {
            throw new IllegalArgumentException(
                    "flink.checkpoint-dir must not be blank (leave it unset for the cluster's)");
        }
        if (managedMemoryBytes < 16L << 20) {
            throw new IllegalArgumentException(
                    "flink.managed-memory must be at least 16m, got " + managedMemoryBytes + " bytes");
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("flink.metrics-port must be 0 (none) or a port, got " + metricsPort);
        }
    }

    public static FlinkJobConfig from(SidstreamConfig config) {
        Config c = config.section("flink");
        String restore = c.getString("restore-from");
        return new FlinkJobConfig(
                c.getDuration("checkpoint-interval"),
                delivery(c.getString("delivery")),
                c.hasPath("checkpoint-dir") ? Optional.of(c.getString("checkpoint-dir")) : Optional.empty(),
                restore.isBlank() ? Optional.empty() : Optional.of(restore),
                c.getDuration("buffer-timeout"),
                optionalInt(c, "parallelism"),
                optionalInt(c, "restart-attempts"),
                c.getDuration("restart-delay"),
                c.getDuration("transaction-timeout"),
                c.getBytes("managed-memory"),
                c.getInt("metrics-port"));
    }

    /** A key whose default is {@code null} in reference.conf: absent means "the cluster's". */
    private static Optional<Integer> optionalInt(Config c, String key) {
        return c.hasPath(key) ? Optional.of(c.getInt(key)) : Optional.empty();
    }

    static DeliveryGuarantee delivery(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            default ->
                throw new IllegalArgumentException(
                        "flink.delivery must be exactly-once or at-least-once, got '" + value + "'");
        };
    }

    public FlinkJobConfig withCheckpointDir(String dir) {
        return new FlinkJobConfig(
                checkpointInterval,
                delivery,
                Optional.of(dir),
                restoreFrom,
                bufferTimeout,
                parallelism,
                restartAttempts,
                restartDelay,
                transactionTimeout,
                managedMemoryBytes,
                metricsPort);
    }

    public FlinkJobConfig withRestoreFrom(String path) {
        return new FlinkJobConfig(
                checkpointInterval,
                delivery,
                checkpointDir,
                Optional.of(path),
                bufferTimeout,
                parallelism,
                restartAttempts,
                restartDelay,
                transactionTimeout,
                managedMemoryBytes,
                metricsPort);
    }

    /** This configuration with every setting the cluster would decide filled in where it is empty. */
    FlinkJobConfig orElse(String defaultCheckpointDir, int defaultParallelism, int defaultRestartAttempts) {
        return new FlinkJobConfig(
                checkpointInterval,
                delivery,
                Optional.of(checkpointDir.orElse(defaultCheckpointDir)),
                restoreFrom,
                bufferTimeout,
                Optional.of(parallelism.orElse(defaultParallelism)),
                Optional.of(restartAttempts.orElse(defaultRestartAttempts)),
                restartDelay,
                transactionTimeout,
                managedMemoryBytes,
                metricsPort);
    }

    public CheckpointingMode checkpointingMode() {
        return delivery == DeliveryGuarantee.EXACTLY_ONCE
                ? CheckpointingMode.EXACTLY_ONCE
                : CheckpointingMode.AT_LEAST_ONCE;
    }

    /**
     * The settings a job applies to its environment: only those sidstream's configuration sets, so a cluster's
     * checkpoint storage and restart strategy stay in force where it leaves them unset.
     */
    public Configuration jobConfiguration() {
        Configuration flink = new Configuration();
        checkpointDir.ifPresent(dir -> {
            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointUri(dir));
            // a directory of our own is one we resume from (sidstream up, a restarted command): keep it on cancel
            flink.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        });
        restartAttempts.ifPresent(attempts -> {
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
            flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, restartDelay);
        });
        restoreFrom.ifPresent(path -> flink.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        return flink;
    }

    /** A bare path is a local directory relative to the working directory; anything with a scheme is used as is. */
    static String checkpointUri(String dir) {
        return dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().toUri().toString();
    }
}
