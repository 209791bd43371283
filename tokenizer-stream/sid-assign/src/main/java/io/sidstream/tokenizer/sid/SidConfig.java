package io.sidstream.tokenizer.sid;

import com.typesafe.config.Config;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.flink.job.StateBackendSettings;
import io.sidstream.tokenizer.embed.TextModel;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code sid.*} section: codebook shape and training, the text encoder, and the sid-assign job's state backend
 * ({@link StateBackendSettings#CLUSTERS}: the cluster's), max parallelism and Kafka ids.
 */
public record SidConfig(
        Path codebookDir,
        int levels,
        int codesPerLevel,
        int maxCollisionTokens,
        String embeddingModel,
        int embeddingBatchSize,
        Duration maxBatchWait,
        int embeddingThreads,
        int kmeansIterations,
        long seed,
        boolean balancing,
        double balanceSlack,
        String stateBackend,
        int maxParallelism,
        String groupId,
        String transactionalIdPrefix)
        implements Serializable {

    public SidConfig {
        require(levels >= 1, "sid.levels must be at least 1, got " + levels);
        require(codesPerLevel >= 2, "sid.codes-per-level must be at least 2, got " + codesPerLevel);
        require(maxCollisionTokens >= 1, "sid.max-collision-tokens must be at least 1, got " + maxCollisionTokens);
        require(embeddingModel != null && !embeddingModel.isBlank(), "sid.embedding-model must not be empty");
        try {
            TextModel.named(embeddingModel);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sid.embedding-model: " + e.getMessage(), e);
        }
        require(embeddingBatchSize >= 1, "sid.embedding-batch-size must be at least 1, got " + embeddingBatchSize);
        require(!maxBatchWait.isNegative(), "sid.max-batch-wait must not be negative, got " + maxBatchWait);
        require(embeddingThreads >= 0, "sid.embedding-threads must not be negative, got " + embeddingThreads);
        require(kmeansIterations >= 1, "sid.kmeans-iterations must be at least 1, got " + kmeansIterations);
        require(balanceSlack >= 1.0, "sid.balance-slack must be at least 1.0, got " + balanceSlack);
        require(
                StateBackendSettings.isValid(stateBackend),
                "sid.state-backend must be rocksdb or hashmap (or unset for the cluster's), got '" + stateBackend
                        + "'");
        require(
                maxParallelism >= 1 && maxParallelism <= 32768,
                "sid.max-parallelism must be 1..32768, got " + maxParallelism);
        require(!groupId.isBlank(), "sid.group-id must not be empty");
        require(!transactionalIdPrefix.isBlank(), "sid.transactional-id-prefix must not be empty");
    }

    /** The encoder the job runs for uploads without an embedding: the one of {@code sid.embedding-model}. */
    public TextModel textModel() {
        return TextModel.named(embeddingModel);
    }

    public static SidConfig from(SidstreamConfig config) {
        return from(config.section("sid"));
    }

    public static SidConfig from(Config c) {
        return new SidConfig(
                Path.of(c.getString("codebook-dir")),
                c.getInt("levels"),
                c.getInt("codes-per-level"),
                c.getInt("max-collision-tokens"),
                c.getString("embedding-model"),
                c.getInt("embedding-batch-size"),
                c.getDuration("max-batch-wait"),
                c.getInt("embedding-threads"),
                c.getInt("kmeans-iterations"),
                c.getLong("seed"),
                c.getBoolean("balancing"),
                c.getDouble("balance-slack"),
                StateBackendSettings.fromSection(c),
                c.getInt("max-parallelism"),
                c.getString("group-id"),
                c.getString("transactional-id-prefix"));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
