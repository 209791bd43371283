package io.sidstream.flink.job;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;

/**
 * A job's state backend ({@code heap}/{@code hashmap} or {@code rocksdb}), tuned for what both jobs do: point lookups
 * by key, many of which find nothing (a new event id in sequence-windows' dedup map, a new user, a fresh upload's video
 * id in sid-assign), with a checkpoint, and so a memtable flush, every second. The RocksDB tuning is the job's own and
 * applies whenever the job runs on RocksDB; which backend it runs on is the cluster's {@code state.backend.type} unless
 * sidstream's configuration names one ({@code sid.state-backend}, {@code windows.state-backend}).
 */
public final class StateBackendSettings {

    /**
     * Upper levels uncompressed, lower ones LZ4. With 1 s checkpoints most reads hit young files in level 0 and 1;
     * Snappy decompression of their blocks was an eighth of sequence-windows' histories thread, and compacting them the bulk of
     * RocksDB's background threads. The bulk of a large state sinks to the compressed levels.
     */
    static final List<CompressionType> COMPRESSION_PER_LEVEL =
            List.of(CompressionType.NO_COMPRESSION, CompressionType.NO_COMPRESSION, CompressionType.LZ4_COMPRESSION);

    /** The state backend setting that leaves the choice to the cluster ({@code state.backend.type}). */
    public static final String CLUSTERS = "";

    private StateBackendSettings() {}

    /**
     * Settings for keys that are read and rewritten (histories, dedup maps). An empty {@code stateBackend} ({@link
     * #CLUSTERS}) leaves the backend, and whether checkpoints are incremental, to the cluster.
     */
    public static void apply(Configuration settings, String stateBackend) {
        explicit(stateBackend).ifPresent(backend -> {
            settings.set(StateBackendOptions.STATE_BACKEND, backend);
            // RocksDB checkpoints upload only the files written since the last one; the heap backend writes all state
            settings.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, backend.equals("rocksdb"));
        });
        // Point lookups are what these jobs do. Without bloom filters a lookup reads a block of every level-0 file
        // (one per checkpoint until compaction catches up), and a lookup that finds nothing (a new event id in the
        // dedup map, a new user) reads them all: two thirds of sequence-windows' keyed operators' time in profiles.
        // (RocksDB options; the heap backend ignores them.)
        settings.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        settings.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, COMPRESSION_PER_LEVEL);
    }

    /** Whether {@code stateBackend} is a setting this class knows: rocksdb, hashmap or {@link #CLUSTERS}. */
    public static boolean isValid(String stateBackend) {
        return stateBackend.equals(CLUSTERS) || stateBackend.equals("rocksdb") || stateBackend.equals("hashmap");
    }

    /** The {@code state-backend} key of a job's section; {@link #CLUSTERS} when it is unset ({@code null}). */
    public static String fromSection(Config section) {
        return section.hasPath("state-backend") ? section.getString("state-backend") : CLUSTERS;
    }

    private static Optional<String> explicit(String stateBackend) {
        return stateBackend.equals(CLUSTERS) ? Optional.empty() : Optional.of(stateBackend);
    }

    /**
     * As {@link #apply}, for state that is mostly written once per key in random key order and does not compress:
     * sid-assign's per-video embeddings (384 floats under a fresh video id each). Leveled compaction rewrote every
     * level-1 file on each level-0 compaction (random keys overlap all of them), and LZ4 found nothing to save in
     * float data: universal compaction without compression took the job's CPU per upload from 271 to 199 µs in the
     * backlog drain of {@code bench sid-assign} (sid-assign README).
     */
    public static void applyWriteOnce(Configuration settings, String stateBackend) {
        apply(settings, stateBackend);
        settings.set(RocksDBConfigurableOptions.COMPACTION_STYLE, CompactionStyle.UNIVERSAL);
        settings.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, List.of(CompressionType.NO_COMPRESSION));
    }
}
