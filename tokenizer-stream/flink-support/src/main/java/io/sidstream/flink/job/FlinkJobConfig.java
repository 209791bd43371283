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
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;

/** The {@code flink.*} section: how every sidstream job checkpoints, delivers and restarts. */
public record FlinkJobConfig(Duration checkpointInterval, DeliveryGuarantee delivery, String checkpointDir,
                             Optional<String> restoreFrom, Duration bufferTimeout, int parallelism, int restartAttempts,
                             Duration restartDelay, Duration transactionTimeout, long managedMemoryBytes)
        implements Serializable {

    public FlinkJobConfig {
        if (checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException("flink.checkpoint-interval must be at least 10ms, got " + checkpointInterval);
        }
        if (delivery == DeliveryGuarantee.NONE) {
            throw new IllegalArgumentException("flink.delivery must be exactly-once or at-least-once");
        }
        if (bufferTimeout.isNegative()) {
            throw new IllegalArgumentException("flink.buffer-timeout must not be negative, got " + bufferTimeout);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("flink.parallelism must be at least 1, got " + parallelism);
        }
        if (restartAttempts < 0) {
            throw new IllegalArgumentException("flink.restart-attempts must not be negative, got " + restartAttempts);
        }
        if (managedMemoryBytes < 16L << 20) {
            throw new IllegalArgumentException("flink.managed-memory must be at least 16m, got " + managedMemoryBytes + " bytes");
        }
    }

    public static FlinkJobConfig from(SidstreamConfig config) {
        Config c = config.section("flink");
        String restore = c.getString("restore-from");
        return new FlinkJobConfig(c.getDuration("checkpoint-interval"), delivery(c.getString("delivery")),
                c.getString("checkpoint-dir"), restore.isBlank() ? Optional.empty() : Optional.of(restore),
                c.getDuration("buffer-timeout"), c.getInt("parallelism"), c.getInt("restart-attempts"), c.getDuration("restart-delay"),
                c.getDuration("transaction-timeout"), c.getBytes("managed-memory"));
    }

    static DeliveryGuarantee delivery(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException(
                    "flink.delivery must be exactly-once or at-least-once, got '" + value + "'");
        };
    }

    public FlinkJobConfig withCheckpointDir(String dir) {
        return new FlinkJobConfig(checkpointInterval, delivery, dir, restoreFrom, bufferTimeout, parallelism,
                restartAttempts, restartDelay, transactionTimeout, managedMemoryBytes);
    }

    public FlinkJobConfig withRestoreFrom(String path) {
        return new FlinkJobConfig(checkpointInterval, delivery, checkpointDir, Optional.of(path), bufferTimeout, parallelism,
                restartAttempts, restartDelay, transactionTimeout, managedMemoryBytes);
    }

    public CheckpointingMode checkpointingMode() {
        return delivery == DeliveryGuarantee.EXACTLY_ONCE ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE;
    }

    /** The Flink configuration a job's environment is created with. */
    public Configuration toFlinkConfiguration() {
        Configuration flink = new Configuration();
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointUri());
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, restartDelay);
        restoreFrom.ifPresent(path -> flink.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        // only a MiniCluster in this JVM is sized by it; a real cluster's TaskManagers have their own memory settings
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, new MemorySize(managedMemoryBytes));
        // a MiniCluster in this JVM takes its temporary directories from here, not from the system property
        String tmpDirs = System.getProperty(CoreOptions.TMP_DIRS.key());
        if (tmpDirs != null && !tmpDirs.isBlank()) {
            flink.set(CoreOptions.TMP_DIRS, tmpDirs);
        }
        return flink;
    }

    /** A bare path is a local directory relative to the working directory; anything with a scheme is used as is. */
    String checkpointUri() {
        return checkpointDir.contains("://") ? checkpointDir : Path.of(checkpointDir).toAbsolutePath().toUri().toString();
    }
}
